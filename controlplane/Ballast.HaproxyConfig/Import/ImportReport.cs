namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// What an import understood: the statements mapped into the model and the findings for everything that was not
/// (mapped exactly, reported, or both; nothing is dropped silently). Both lists are in line order.
/// </summary>
/// <param name="Findings">Unsupported, ignored, warning and error findings.</param>
/// <param name="Mapped">Statements that set something in the model.</param>
public sealed record ImportReport(IReadOnlyList<ImportFinding> Findings, IReadOnlyList<MappedStatement> Mapped)
{
    /// <summary>
    /// The certificate files the configuration names (<c>crt</c>, <c>ca-file</c>), once each, in line order: the
    /// importer cannot read them, so each must be uploaded under its <see cref="CertificateFile.Name"/> before publishing.
    /// </summary>
    public IReadOnlyList<CertificateFile> CertificateFiles { get; init; } = [];

    /// <summary>Whether HAProxy would refuse the file: at least one <see cref="FindingSeverity.Error"/> finding.</summary>
    public bool HasErrors => Findings.Any(f => f.Severity == FindingSeverity.Error);

    /// <summary>The findings of <paramref name="severity"/>.</summary>
    public IEnumerable<ImportFinding> OfSeverity(FindingSeverity severity) => Findings.Where(f => f.Severity == severity);
}
