namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// The <c>defaults</c> sections read so far (manual, section 4): a proxy takes the last one before it, or the one
/// it names with <c>from</c>; a named reference must be unique among the defaults sections.
/// </summary>
internal sealed class DefaultsRegistry
{
    private readonly Dictionary<string, List<ProxySettings>> _named = new(StringComparer.Ordinal);

    /// <summary>The last defaults section read: what a proxy without <c>from</c> inherits.</summary>
    public ProxySettings Current { get; private set; } = ProxySettings.Documented;

    /// <summary>Records a defaults section; it becomes <see cref="Current"/>.</summary>
    public void Add(string name, ProxySettings settings)
    {
        Current = settings;
        if (name.Length == 0)
        {
            return;
        }

        if (!_named.TryGetValue(name, out var list))
        {
            _named[name] = list = [];
        }

        list.Add(settings);
    }

    /// <summary>Finds the defaults section <paramref name="name"/>; <paramref name="error"/> says why not.</summary>
    public bool TryGet(string name, out ProxySettings settings, out string? error)
    {
        settings = ProxySettings.Documented;
        error = null;
        if (!_named.TryGetValue(name, out var list))
        {
            error = $"defaults section '{name}' not found (it must appear before its use)";
            return false;
        }

        if (list.Count > 1)
        {
            error = $"defaults section name '{name}' is ambiguous: {list.Count} defaults sections use it";
            return false;
        }

        settings = list[0];
        return true;
    }
}
