namespace Ballast.HaproxyConfig.Syntax;

/// <summary>
/// The syntax tree of a whole haproxy.cfg: its sections in file order, with conditional blocks already resolved
/// (HAProxy manual, section 2 "Configuring HAProxy").
/// </summary>
/// <param name="Preamble">Statements found before the first section keyword (HAProxy rejects them: "unknown keyword out of section").</param>
/// <param name="Sections">The sections in file order.</param>
/// <param name="Diagnostics">Syntax errors, preprocessor messages and notes, in line order.</param>
public sealed record ConfigDocument(
    IReadOnlyList<ConfigStatement> Preamble,
    IReadOnlyList<ConfigSection> Sections,
    IReadOnlyList<SyntaxDiagnostic> Diagnostics)
{
    /// <summary>Whether reading produced at least one error.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}
