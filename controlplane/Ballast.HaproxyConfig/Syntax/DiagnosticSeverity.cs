namespace Ballast.HaproxyConfig.Syntax;

/// <summary>How serious a <see cref="SyntaxDiagnostic"/> is, as HAProxy's NOTICE, WARNING and ALERT levels (manual, section 2.4).</summary>
public enum DiagnosticSeverity
{
    /// <summary>Information: a <c>.notice</c>/<c>.diag</c> message, a block excluded by a condition, an ignored scope line.</summary>
    Notice,

    /// <summary>HAProxy would start but warn (e.g. <c>.warning</c>, a trailing backslash).</summary>
    Warning,

    /// <summary>HAProxy would refuse the file (e.g. an unmatched quote, a bad <c>.if</c> expression, <c>.alert</c>).</summary>
    Error,
}
