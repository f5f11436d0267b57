using System.Collections.Frozen;
using Ballast.HaproxyConfig.Syntax;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// Reports a proxy-section statement that the model does not carry (manual, section 4.2): logging keywords are
/// ignored, <c>description</c> is descriptive, everything else (ACLs, rules, cookies, stick tables, timeouts other
/// than <c>timeout check</c>, <c>retries</c>, <c>option redispatch</c>, <c>option forwardfor</c>, ...) is unsupported.
/// </summary>
internal static class UnmappedProxyKeywords
{
    private static readonly FrozenSet<string> LoggingKeywords = new[]
    {
        "log", "log-format", "log-format-sd", "log-tag", "error-log-format", "capture", "declare", "no-log",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> LoggingOptions = new[]
    {
        "httplog", "tcplog", "httpslog", "dontlognull", "dontlog-normal", "log-separate-errors",
        "log-health-checks", "logasap",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Reports <paramref name="statement"/> with the reason that fits its keyword.</summary>
    public static void Report(SectionScope scope, ConfigStatement statement)
    {
        var offset = statement.Keyword is "no" or "default" ? 1 : 0;
        var keyword = statement[offset];
        var (severity, reason) = keyword switch
        {
            "option" when LoggingOptions.Contains(statement[offset + 1]) => (FindingSeverity.Ignored, Reasons.Logging),
            _ when LoggingKeywords.Contains(keyword) => (FindingSeverity.Ignored, Reasons.Logging),
            "description" => (FindingSeverity.Ignored, Reasons.Descriptive),
            _ => (FindingSeverity.Unsupported, Reasons.NotInModel),
        };
        scope.Report(statement, severity, reason);
    }
}
