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

    /// <summary>The report, in line order.</summary>
    public ImportReport Build() => new(
        _findings.OrderBy(f => f.Line).ThenBy(f => f.Column).ToArray(),
        _mapped.OrderBy(m => m.Line).ToArray());
}
