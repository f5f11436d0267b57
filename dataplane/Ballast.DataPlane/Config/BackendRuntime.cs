using System.Collections.Immutable;
using System.Net;
using Ballast.DataPlane.LoadBalancing;
using Yarp.ReverseProxy.Forwarder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Config;

/// <summary>Immutable runtime view of one backend: its servers, timeouts and how connections are balanced among them.</summary>
internal sealed class BackendRuntime
{
    private ForwarderRequestConfig? _upgradeConfig;

    /// <summary>Creates the backend and its balancer.</summary>
    /// <param name="name">Backend name.</param>
    /// <param name="mode">Proxy mode (http or tcp).</param>
    /// <param name="balance">Balancing settings.</param>
    /// <param name="servers">Servers in configuration order.</param>
    /// <param name="state">State surviving snapshot swaps.</param>
    /// <param name="connectTimeout">HAProxy <c>timeout connect</c>.</param>
    /// <param name="serverTimeout">HAProxy <c>timeout server</c>.</param>
    /// <param name="options">Queue, retry, redispatch, backup and header options; null = HAProxy defaults.</param>
    public BackendRuntime(
        string name,
        V1.Mode mode,
        BalanceSettings balance,
        ImmutableArray<ServerRuntime> servers,
        BackendState state,
        TimeSpan connectTimeout,
        TimeSpan serverTimeout,
        BackendOptions? options = null)
    {
        Options = options ?? BackendOptions.Default;
        Name = name;
        Mode = mode;
        Settings = balance;
        Servers = servers;
        State = state;
        ConnectTimeout = connectTimeout;
        ServerTimeout = serverTimeout;
        Balancer = BalancerFactory.Create(balance, servers, state, Options.AllBackups);
        Transformer = new Proxy.BackendTransformer(Options, connectTimeout);
        ForwarderConfig = new ForwarderRequestConfig
        {
            ActivityTimeout = serverTimeout,
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
    }

    /// <summary>Backend name.</summary>
    public string Name { get; }

    /// <summary>Proxy mode: http requests or tcp connections.</summary>
    public V1.Mode Mode { get; }

    /// <summary>Balancing algorithm.</summary>
    public V1.Balance Balance => Settings.Algorithm;

    /// <summary>Balancing and hashing settings.</summary>
    public BalanceSettings Settings { get; }

    /// <summary>Servers in configuration order.</summary>
    public ImmutableArray<ServerRuntime> Servers { get; }

    /// <summary>State surviving snapshot swaps.</summary>
    public BackendState State { get; }

    /// <summary>Picks servers for requests (http) or connections (tcp).</summary>
    public Balancer Balancer { get; }

    /// <summary>HAProxy <c>timeout connect</c>: longest wait for a connection to a server.</summary>
    public TimeSpan ConnectTimeout { get; }

    /// <summary>HAProxy <c>timeout server</c>: longest server-side inactivity.</summary>
    public TimeSpan ServerTimeout { get; }

    /// <summary>Forwarder settings of mode http requests (<c>timeout server</c> as the activity timeout).</summary>
    public ForwarderRequestConfig ForwarderConfig { get; }

    /// <summary>
    /// Forwarder settings of upgrade (WebSocket) requests: <c>timeout tunnel</c> as the activity timeout when set (it
    /// then also bounds the wait for the 101 response), else <see cref="ForwarderConfig"/>.
    /// </summary>
    public ForwarderRequestConfig UpgradeForwarderConfig => Options.TunnelTimeout is { } tunnel
        ? _upgradeConfig ??= ForwarderConfig with { ActivityTimeout = tunnel }
        : ForwarderConfig;

    /// <summary>Layer-7 rules, cookie persistence and stick table of the backend, or null when it has none.</summary>
    public Rules.ProxyRules? Rules { get; init; }

    /// <summary>Request/response transform of mode http (<c>option forwardfor</c>, <c>retry-on</c> statuses, <c>timeout connect</c>).</summary>
    public Proxy.BackendTransformer Transformer { get; }

    /// <summary>Queue, retry, redispatch, backup and header options (HAProxy defaults when unset).</summary>
    public BackendOptions Options { get; }

    /// <summary>HAProxy <c>timeout queue</c>: longest wait for a <c>maxconn</c> slot (default <c>timeout connect</c>).</summary>
    public TimeSpan QueueTimeout => Options.QueueTimeout ?? ConnectTimeout;

    /// <summary>
    /// Whether a server the balancer may choose is usable, possibly at its <c>maxconn</c> (then requests queue).
    /// </summary>
    /// <param name="exclude">Servers a redispatched request skips.</param>
    public bool HasUsableServer(in ServerExclusions exclude) => BackupAwareBalancer.HasCandidate(Servers, exclude, Options.AllBackups);

    /// <summary>Whether at least one server can take requests (HAProxy backend status UP).</summary>
    public bool IsUp
    {
        get
        {
            foreach (var server in Servers)
            {
                if (server.IsUsable)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
