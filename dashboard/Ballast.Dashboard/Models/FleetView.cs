using System.Globalization;
using Ballast.Proto.V1;

namespace Ballast.Dashboard.Models;

/// <summary>
/// What the backends page shows: the working configuration's frontends, backends and servers, joined with the fleet's
/// live stats. Row objects are kept across refreshes (keyed by name) so their rate history survives and the grids
/// re-render in place.
/// </summary>
public sealed class FleetView
{
    private readonly Dictionary<string, FrontendView> _frontends = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BackendView> _backends = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Backend, string Server), ServerView> _servers = new();

    /// <summary>Frontends in configuration order.</summary>
    public IReadOnlyList<FrontendView> Frontends { get; private set; } = [];

    /// <summary>Backends in configuration order.</summary>
    public IReadOnlyList<BackendView> Backends { get; private set; } = [];

    /// <summary>
    /// Whether the working configuration differs from the latest published one; null when that cannot be told
    /// (the published configuration is not available).
    /// </summary>
    public bool? HasUnpublishedChanges { get; private set; }

    /// <summary>Whether no version has been published yet.</summary>
    public bool NeverPublished { get; private set; }

    /// <summary>Rebuilds the rows from the working configuration, compared with the latest published version.</summary>
    /// <param name="working">The working configuration.</param>
    /// <param name="published">The latest published version, or null if none was published.</param>
    public void ApplyConfig(Config working, Services.PublishedConfig? published)
    {
        ArgumentNullException.ThrowIfNull(working);
        var publishedConfig = published?.Config;
        NeverPublished = published is null;
        HasUnpublishedChanges = published is null ? true : publishedConfig is null ? null : !working.Equals(publishedConfig);

        var frontends = new List<FrontendView>(working.Frontends.Count);
        foreach (var frontend in working.Frontends)
        {
            if (!_frontends.TryGetValue(frontend.Name, out var view))
            {
                view = new FrontendView(frontend.Name);
                _frontends[frontend.Name] = view;
            }

            view.Apply(frontend);
            frontends.Add(view);
        }

        var backends = new List<BackendView>(working.Backends.Count);
        var liveServers = new HashSet<(string, string)>();
        foreach (var backend in working.Backends)
        {
            if (!_backends.TryGetValue(backend.Name, out var view))
            {
                view = new BackendView(backend.Name);
                _backends[backend.Name] = view;
            }

            var publishedBackend = publishedConfig?.Backends.FirstOrDefault(b => b.Name == backend.Name);
            var servers = new List<ServerView>(backend.Servers.Count);
            foreach (var server in backend.Servers)
            {
                var key = (backend.Name, server.Name);
                liveServers.Add(key);
                if (!_servers.TryGetValue(key, out var serverView))
                {
                    serverView = new ServerView(backend.Name, server.Name);
                    _servers[key] = serverView;
                }

                var publishedServer = publishedBackend?.Servers.FirstOrDefault(s => s.Name == server.Name);
                serverView.Apply(backend.Mode, server, modified: publishedConfig is not null && !server.Equals(publishedServer));
                servers.Add(serverView);
            }

            view.Apply(backend, servers);
            backends.Add(view);
        }

        Prune(_frontends, frontends.Select(f => f.Name));
        Prune(_backends, backends.Select(b => b.Name));
        Prune(_servers, liveServers);
        Frontends = frontends;
        Backends = backends;
    }

    /// <summary>Updates the live values from the fleet stats rows.</summary>
    /// <param name="rows">The rows, one per frontend, backend and server.</param>
    /// <param name="now">When they were fetched.</param>
    public void ApplyStats(IReadOnlyList<StatRow> rows, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var frontendRows = new Dictionary<string, StatRow>(StringComparer.Ordinal);
        var backendRows = new Dictionary<string, StatRow>(StringComparer.Ordinal);
        var serverRows = new Dictionary<(string, string), StatRow>();
        foreach (var row in rows)
        {
            switch (row.Type)
            {
                case StatType.Frontend:
                    frontendRows[row.Pxname] = row;
                    break;
                case StatType.Backend:
                    backendRows[row.Pxname] = row;
                    break;
                case StatType.Server:
                    serverRows[(row.Pxname, row.Svname)] = row;
                    break;
            }
        }

        foreach (var frontend in Frontends)
        {
            frontend.Live.Update(frontendRows.GetValueOrDefault(frontend.Name), now);
        }

        foreach (var backend in Backends)
        {
            backend.Live.Update(backendRows.GetValueOrDefault(backend.Name), now);
            foreach (var server in backend.Servers)
            {
                server.Live.Update(serverRows.GetValueOrDefault((backend.Name, server.Name)), now);
            }
        }
    }

    private static void Prune<TKey, TValue>(Dictionary<TKey, TValue> map, IEnumerable<TKey> keep)
        where TKey : notnull
    {
        var keepSet = keep.ToHashSet();
        foreach (var key in map.Keys.Where(k => !keepSet.Contains(k)).ToList())
        {
            map.Remove(key);
        }
    }
}

/// <summary>A frontend row.</summary>
/// <param name="name">Frontend name.</param>
public sealed class FrontendView(string name)
{
    /// <summary>Frontend name.</summary>
    public string Name { get; } = name;

    /// <summary><c>http</c> or <c>tcp</c>.</summary>
    public string Mode { get; private set; } = "http";

    /// <summary>Binds as <c>*:80, 10.0.0.1:443</c>.</summary>
    public string Binds { get; private set; } = "";

    /// <summary>The <c>default_backend</c>.</summary>
    public string DefaultBackend { get; private set; } = "";

    /// <summary><c>maxconn</c>, 0 = unlimited.</summary>
    public uint Maxconn { get; private set; }

    /// <summary>Live values of its FRONTEND row.</summary>
    public LiveCounters Live { get; } = new();

    internal void Apply(Frontend frontend)
    {
        Mode = HaproxyText.Mode(frontend.Mode);
        Binds = string.Join(", ", frontend.Binds.Select(b => string.Create(CultureInfo.InvariantCulture, $"{FormatHost(b.Address)}:{b.Port}")));
        DefaultBackend = frontend.DefaultBackend;
        Maxconn = frontend.Maxconn;
    }

    internal static string FormatHost(string address) =>
        string.IsNullOrEmpty(address) ? "*" : address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address;
}

/// <summary>A backend with its servers.</summary>
/// <param name="name">Backend name.</param>
public sealed class BackendView(string name)
{
    /// <summary>Backend name.</summary>
    public string Name { get; } = name;

    /// <summary><c>http</c> or <c>tcp</c>.</summary>
    public string Mode { get; private set; } = "http";

    /// <summary>Whether the backend is in TCP mode (counters are sessions rather than requests).</summary>
    public bool IsTcp => Mode == "tcp";

    /// <summary>The <c>balance</c> algorithm.</summary>
    public string Balance { get; private set; } = "roundrobin";

    /// <summary>Health check summary (see <see cref="HaproxyText.HealthCheck"/>).</summary>
    public string HealthCheck { get; private set; } = "no check";

    /// <summary>Servers in configuration order.</summary>
    public IReadOnlyList<ServerView> Servers { get; private set; } = [];

    /// <summary>Live values of its BACKEND row.</summary>
    public LiveCounters Live { get; } = new();

    internal void Apply(Backend backend, IReadOnlyList<ServerView> servers)
    {
        Mode = HaproxyText.Mode(backend.Mode);
        Balance = HaproxyText.Balance(backend.Balance);
        HealthCheck = HaproxyText.HealthCheck(backend.HealthCheck);
        Servers = servers;
    }
}

/// <summary>A server row.</summary>
/// <param name="backend">Its backend's name.</param>
/// <param name="name">Server name.</param>
public sealed class ServerView(string backend, string name)
{
    /// <summary>Its backend's name.</summary>
    public string Backend { get; } = backend;

    /// <summary>Server name.</summary>
    public string Name { get; } = name;

    /// <summary><c>backend-server</c>: the suffix of this row's <c>data-testid</c> attributes.</summary>
    public string TestId => $"{Backend}-{Name}";

    /// <summary>The server as configured in the working configuration.</summary>
    public Server Config { get; private set; } = new();

    /// <summary><c>address:port</c> (IPv6 in brackets).</summary>
    public string Address { get; private set; } = "";

    /// <summary>Configured weight (HAProxy's default 1 applied).</summary>
    public uint Weight { get; private set; } = 1;

    /// <summary>Administrative state: <c>ready</c>, <c>drain</c> or <c>maint</c>.</summary>
    public string State { get; private set; } = "ready";

    /// <summary><c>maxconn</c>, 0 = unlimited.</summary>
    public uint Maxconn { get; private set; }

    /// <summary>Whether the backend's health check applies (the <c>check</c> keyword).</summary>
    public bool Check { get; private set; }

    /// <summary>Whether the server differs from the latest published version (or is new since).</summary>
    public bool Modified { get; private set; }

    /// <summary>Whether its backend is in TCP mode.</summary>
    public bool IsTcp { get; private set; }

    /// <summary>Live values of its server row.</summary>
    public LiveCounters Live { get; } = new();

    internal void Apply(Mode mode, Server server, bool modified)
    {
        Config = server;
        Address = string.Create(CultureInfo.InvariantCulture, $"{FrontendView.FormatHost(server.Address)}:{server.Port}");
        Weight = HaproxyText.Weight(server);
        State = HaproxyText.State(server.State);
        Maxconn = server.Maxconn;
        Check = server.Check;
        Modified = modified;
        IsTcp = mode == Proto.V1.Mode.Tcp;
    }
}
