using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Ballast.DataPlane.Health;
using Ballast.DataPlane.LoadBalancing;
using Ballast.DataPlane.Stats;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Config;

/// <summary>
/// Builds the immutable <see cref="RuntimeModel"/> of a validated snapshot, carrying over the state of unchanged
/// objects from the previous model: frontend counters (same name), backend counters and round-robin position (same
/// name; the position restarts when the server list changes), server counters and health (same backend, name,
/// address and port). Server ids are assigned as HAProxy assigns them (<see cref="ServerIds"/>). With a static
/// algorithm (static-rr, map-based hashing) the weights the map was built with are kept while the server list and
/// algorithm stay the same: a new non-zero weight is ignored and weight 0 then non-zero restores the initial weight,
/// as HAProxy's runtime <c>set weight</c> accepts only 0% and 100% for static algorithms.
/// </summary>
internal static class RuntimeModelBuilder
{
    /// <summary>Builds the model. <paramref name="config"/> must have passed <see cref="SnapshotValidator"/>.</summary>
    /// <param name="version">Snapshot version.</param>
    /// <param name="config">The configuration.</param>
    /// <param name="previous">The model being replaced, whose state is carried over.</param>
    /// <param name="timeProvider">Clock for new health state.</param>
    public static RuntimeModel Build(ulong version, V1.Config config, RuntimeModel previous, TimeProvider timeProvider)
    {
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var tls = Tls.TlsModel.Build(config, previous.Tls); // certificates parsed once per apply, unchanged ones reused
        var backends = ImmutableArray.CreateBuilder<BackendRuntime>(config.Backends.Count);
        var backendsByName = new Dictionary<string, BackendRuntime>(StringComparer.Ordinal);
        foreach (var backend in config.Backends)
        {
            previous.BackendsByName.TryGetValue(backend.Name, out var old);
            var built = BuildBackend(backend, old, timeProvider, now, tls);
            backends.Add(built);
            backendsByName[built.Name] = built;
        }

        var oldFrontends = new Dictionary<string, FrontendRuntime>(StringComparer.Ordinal);
        foreach (var frontend in previous.Frontends)
        {
            oldFrontends[frontend.Name] = frontend;
        }

        var frontends = ImmutableArray.CreateBuilder<FrontendRuntime>(config.Frontends.Count);
        foreach (var frontend in config.Frontends)
        {
            var binds = ImmutableArray.CreateBuilder<BindEndpoint>(frontend.Binds.Count);
            foreach (var bind in frontend.Binds)
            {
                if (BindEndpoint.TryParse(bind.Address, bind.Port, out var endpoint))
                {
                    binds.Add(endpoint);
                }
            }

            backendsByName.TryGetValue(frontend.DefaultBackend, out var defaultBackend);
            frontends.Add(new FrontendRuntime
            {
                Name = frontend.Name,
                Mode = frontend.Mode,
                ClientTimeout = TimeoutOrDefault(frontend.TimeoutClientMs, HaproxyDefaults.ClientTimeout),
                Binds = binds.ToImmutable(),
                TlsBinds = TlsBindsOf(frontend, tls),
                DefaultBackend = defaultBackend,
                MaxConn = (int)Math.Min(frontend.Maxconn, int.MaxValue),
                Counters = oldFrontends.TryGetValue(frontend.Name, out var old) ? old.Counters : new StatCounters(),
                Rules = Rules.RuleCompiler.CompileFrontend(frontend, backendsByName, old?.Rules, timeProvider),
                AccessLog = Logging.AccessLogSettings.Create(frontend),
                Options = FrontendOptions.From(frontend, TimeoutOrDefault(frontend.TimeoutClientMs, HaproxyDefaults.ClientTimeout)),
            });
        }

        return new RuntimeModel(version, config, frontends.ToImmutable(), backends.ToImmutable()) { Tls = tls };
    }

    private static BackendRuntime BuildBackend(V1.Backend backend, BackendRuntime? old, TimeProvider timeProvider, long now, Tls.TlsModel tls)
    {
        var state = old?.State ?? new BackendState(now) { Queue = new BackendQueue(timeProvider) };
        if (old is not null && !SameServerNames(old.Servers, backend.Servers))
        {
            state.ResetPosition();
        }

        var settings = BalanceSettings.From(backend);

        // A static algorithm keeps the weights its map was built with while the server list and algorithm stay the
        // same: HAProxy accepts only 0% and 100% as runtime weights there ("Backend is using a static LB algorithm
        // and only accepts weights '0%' and '100%'"), so a new non-zero weight restores the initial one.
        var keepInitialWeights = settings.IsStatic
            && old is not null
            && old.Settings.Algorithm == settings.Algorithm
            && old.Settings.Consistent == settings.Consistent
            && SameServers(old.Servers, backend.Servers);
        var ids = ServerIds.Assign(backend.Servers);

        var oldServers = new Dictionary<string, ServerRuntime>(StringComparer.Ordinal);
        if (old is not null)
        {
            foreach (var server in old.Servers)
            {
                oldServers[server.Name] = server;
            }
        }

        var servers = ImmutableArray.CreateBuilder<ServerRuntime>(backend.Servers.Count);
        for (var index = 0; index < backend.Servers.Count; index++)
        {
            var server = backend.Servers[index];
            var check = server.Check ? ToSettings(backend.HealthCheck).ForServer(backend.HealthCheck, server) : null;
            var weight = server.HasWeight ? (int)server.Weight : HaproxyDefaults.Weight;
            var initialWeight = weight;
            if (keepInitialWeights && old!.Servers[index].InitialWeight > 0)
            {
                initialWeight = old.Servers[index].InitialWeight;
                weight = weight == 0 ? 0 : initialWeight;
            }
            var admin = server.State switch
            {
                V1.ServerState.Drain => AdminState.Drain,
                V1.ServerState.Maint => AdminState.Maint,
                _ => AdminState.Ready,
            };

            ServerState serverState;
            if (oldServers.TryGetValue(server.Name, out var previous)
                && previous.Address == server.Address
                && previous.Port == (int)server.Port)
            {
                serverState = previous.State;
                if (previous.ConfiguredAdmin != admin || (previous.ConfiguredWeight == 0) != (weight == 0) || (previous.Check is null) != (check is null))
                {
                    serverState.Health.TouchLastChange();
                }
            }
            else
            {
                serverState = new ServerState(
                    new StatCounters(),
                    new ServerHealth(timeProvider, check?.Rise ?? HaproxyDefaults.Rise, check?.Fall ?? HaproxyDefaults.Fall, state.BumpHealthEpoch));
            }

            servers.Add(new ServerRuntime
            {
                Name = server.Name,
                BackendName = backend.Name,
                Address = server.Address,
                Port = (int)server.Port,
                Id = ids[index],
                Weight = weight,
                InitialWeight = initialWeight,
                EndPoint = ToEndPoint(server.Address, (int)server.Port),
                SendProxy = server.SendProxy,
                RequeueOnRelease = settings.Algorithm == V1.Balance.Leastconn,
                MaxConn = (int)Math.Min(server.Maxconn, int.MaxValue),
                MaxQueue = (int)Math.Min(server.Maxqueue, int.MaxValue),
                Admin = admin,
                Check = check,
                DestinationPrefix = DestinationPrefix(server.Address, (int)server.Port),
                Tls = backend.Mode == V1.Mode.Http ? tls.ForServer(server) : null,
                State = serverState,
                IsBackup = server.Backup,
                SlowStart = TimeSpan.FromMilliseconds(server.SlowstartMs),
                Queue = state.Queue,
                StaticWeights = settings.IsStatic,
                Passive = PassiveHealthSettings.From(server),
            });
        }

        // Admin states, weights and check flags may differ from what the old cycle was built with.
        state.BumpHealthEpoch();
        return new BackendRuntime(
            backend.Name,
            backend.Mode,
            settings,
            servers.ToImmutable(),
            state,
            TimeoutOrDefault(backend.TimeoutConnectMs, HaproxyDefaults.ConnectTimeout),
            TimeoutOrDefault(backend.TimeoutServerMs, HaproxyDefaults.ServerTimeout),
            BackendOptions.From(backend))
        {
            Rules = Rules.RuleCompiler.CompileBackend(backend, servers.ToImmutable(), old?.Rules, timeProvider),
        };
    }

    private static IReadOnlyDictionary<BindEndpoint, Tls.BindTls>? TlsBindsOf(V1.Frontend frontend, Tls.TlsModel tls)
    {
        Dictionary<BindEndpoint, Tls.BindTls>? binds = null;
        foreach (var bind in frontend.Binds)
        {
            if (tls.ForBind(bind) is { } settings && BindEndpoint.TryParse(bind.Address, bind.Port, out var endpoint))
            {
                (binds ??= []).Add(endpoint, settings);
            }
        }

        return binds?.ToFrozenDictionary();
    }

    /// <summary>Where mode tcp connects: the IP literal's endpoint, or a DNS endpoint for a host name.</summary>
    /// <param name="address">IP literal (IPv6 possibly bracketed) or host name.</param>
    /// <param name="port">TCP port.</param>
    public static EndPoint ToEndPoint(string address, int port)
    {
        var text = address.Length > 2 && address[0] == '[' && address[^1] == ']' ? address[1..^1] : address;
        return IPAddress.TryParse(text, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(address, port);
    }

    private static TimeSpan TimeoutOrDefault(uint milliseconds, TimeSpan fallback) =>
        milliseconds > 0 ? TimeSpan.FromMilliseconds(milliseconds) : fallback;

    /// <summary>
    /// Effective check settings with HAProxy defaults; a server with <c>check</c> in a backend without a check type
    /// gets a TCP connect check, as HAProxy <c>check</c> without <c>option httpchk</c>.
    /// </summary>
    /// <param name="check">The backend's check configuration, possibly null.</param>
    public static HealthCheckSettings ToSettings(V1.HealthCheck? check)
    {
        check ??= new V1.HealthCheck();
        var inter = TimeSpan.FromMilliseconds(check.InterMs > 0 ? check.InterMs : HaproxyDefaults.InterMs);
        var timeout = check.TimeoutMs > 0 ? TimeSpan.FromMilliseconds(check.TimeoutMs) : inter;
        return new HealthCheckSettings(
            check.Type == V1.HealthCheckType.HealthCheckHttp ? HealthCheckKind.Http : HealthCheckKind.Tcp,
            check.HttpMethod.Length > 0 ? check.HttpMethod : HaproxyDefaults.HttpCheckMethod,
            check.HttpPath.Length > 0 ? check.HttpPath : HaproxyDefaults.HttpCheckPath,
            (int)check.ExpectStatus,
            inter,
            timeout,
            check.Rise > 0 ? (int)check.Rise : HaproxyDefaults.Rise,
            check.Fall > 0 ? (int)check.Fall : HaproxyDefaults.Fall);
    }

    /// <summary>The forwarder's URI prefix for a server, bracketing IPv6 literals.</summary>
    /// <param name="address">IP literal or host name.</param>
    /// <param name="port">TCP port.</param>
    public static string DestinationPrefix(string address, int port)
    {
        var host = IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{ip}]"
            : address;
        return $"http://{host}:{port}/";
    }

    private static bool SameServers(ImmutableArray<ServerRuntime> old, IList<V1.Server> next)
    {
        if (old.Length != next.Count)
        {
            return false;
        }

        for (var i = 0; i < old.Length; i++)
        {
            if (!string.Equals(old[i].Name, next[i].Name, StringComparison.Ordinal)
                || !string.Equals(old[i].Address, next[i].Address, StringComparison.Ordinal)
                || old[i].Port != (int)next[i].Port)
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameServerNames(ImmutableArray<ServerRuntime> old, IList<V1.Server> next)
    {
        if (old.Length != next.Count)
        {
            return false;
        }

        for (var i = 0; i < old.Length; i++)
        {
            if (!string.Equals(old[i].Name, next[i].Name, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
