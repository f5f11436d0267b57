using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// A proxy section being mapped: the settings inherited from its <c>defaults</c> and overridden by its own
/// statements, plus its binds and servers in file order. Local to one import.
/// </summary>
internal sealed class ProxyDraft
{
    private readonly HashSet<string> _serverNames = new(StringComparer.Ordinal);

    /// <summary>Starts a draft of <paramref name="kind"/> named <paramref name="name"/>, inheriting <paramref name="inherited"/>.</summary>
    public ProxyDraft(SectionScope scope, ProxyKind kind, string name, ProxySettings inherited)
    {
        Scope = scope;
        Kind = kind;
        Name = name;
        Settings = inherited;
    }

    /// <summary>The section being mapped.</summary>
    public SectionScope Scope { get; }

    /// <summary>defaults, frontend, backend or listen.</summary>
    public ProxyKind Kind { get; }

    /// <summary>The section name (empty for an unnamed defaults).</summary>
    public string Name { get; }

    /// <summary>The settings so far.</summary>
    public ProxySettings Settings { get; set; }

    /// <summary>The global section's <c>log</c> lines read so far, for <c>log global</c>.</summary>
    public GlobalLogs GlobalLogs { get; init; } = new();

    /// <summary>Listening addresses, from <c>bind</c> lines.</summary>
    public List<Bind> Binds { get; } = [];

    /// <summary>Servers, from <c>server</c> lines.</summary>
    public List<ServerDraft> Servers { get; } = [];

    /// <summary>ACLs, rules, stick table and cookie of this section.</summary>
    public ProxyRules Rules { get; } = new();

    /// <summary>Line of the section keyword: settings written on or after it belong to this section.</summary>
    public int HeaderLine => Scope.Section.Header.Line;

    /// <summary>Whether <paramref name="line"/> is in this section rather than an inherited defaults section.</summary>
    public bool IsOwn(int line) => line >= HeaderLine;

    /// <summary>Adds a server unless its name is taken; returns false then.</summary>
    public bool TryAddServer(ServerDraft server)
    {
        if (!_serverNames.Add(server.Name))
        {
            return false;
        }

        Servers.Add(server);
        return true;
    }
}
