namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// Collects findings and mapped statements during one import. A finding met twice (e.g. from a <c>defaults</c>
/// line seen by several proxies) is kept once.
/// </summary>
internal sealed class ReportBuilder
{
    private readonly List<ImportFinding> _findings = [];
    private readonly HashSet<ImportFinding> _seen = [];
    private readonly List<MappedStatement> _mapped = [];
    private readonly HashSet<MappedStatement> _mappedSeen = [];
    private readonly Dictionary<string, CertificateFile> _certificates = new(StringComparer.Ordinal);

    /// <summary>Adds a finding unless an identical one is already there.</summary>
    public void Add(ImportFinding finding)
    {
        if (_seen.Add(finding))
        {
            _findings.Add(finding);
        }
    }

    /// <summary>Adds a mapped statement unless an identical one is already there.</summary>
    public void Mapped(MappedStatement mapped)
    {
        if (_mappedSeen.Add(mapped))
        {
            _mapped.Add(mapped);
        }
    }

    /// <summary>
    /// Records a certificate file; returns the file already recorded under the same name from another path (a clash),
    /// else null. A file named by a bind's <c>crt</c> needs a key even when a server also uses it as a CA bundle.
    /// </summary>
    public CertificateFile? AddCertificate(CertificateFile file)
    {
        if (_certificates.TryGetValue(file.Name, out var known))
        {
            if (known.Path != file.Path)
            {
                return known;
            }

            _certificates[file.Name] = known with { NeedsKey = known.NeedsKey || file.NeedsKey };
            return null;
        }

        _certificates[file.Name] = file;
        return null;
    }

    /// <summary>The report, in line order.</summary>
    public ImportReport Build() => new(
        _findings.OrderBy(f => f.Line).ThenBy(f => f.Column).ToArray(),
        _mapped.OrderBy(m => m.Line).ToArray())
    {
        CertificateFiles = _certificates.Values.OrderBy(c => c.Line).ThenBy(c => c.Column).ToArray(),
    };
}
