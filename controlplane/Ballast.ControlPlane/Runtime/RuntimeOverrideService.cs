using System.Security.Cryptography;
using Ballast.ControlPlane.Fleet;
using Ballast.ControlPlane.Store;
using Ballast.ControlPlane.Validation;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Runtime;

/// <summary>Outcome of a runtime change: the new set, or a 400/404 error.</summary>
/// <param name="State">The set after the change, when it succeeded.</param>
/// <param name="NotFound">Whether the server (or its override) does not exist.</param>
/// <param name="Errors">Why the request is invalid or what was not found.</param>
internal sealed record RuntimeChangeResult(RuntimeState? State, bool NotFound, IReadOnlyList<ValidationError> Errors);

/// <summary>
/// Runtime server operations of the fleet, as HAProxy's runtime API <c>set server state|weight</c>: validates and
/// stores overrides (<see cref="RuntimeOverrideStore"/>), sends the whole set (state of the world, monotonic revision,
/// fresh nonce per send) to every connected node without a new config version, re-sends it to a node after its
/// snapshot when it (re)connects, tracks each node's RuntimeAck/RuntimeNack, and drops the overrides of servers a
/// published version removes.
/// </summary>
internal sealed class RuntimeOverrideService(
    RuntimeOverrideStore store,
    WorkingConfigStore working,
    FleetRegistry fleet,
    ILogger<RuntimeOverrideService> logger) : IDisposable
{
    /// <summary>Largest weight, as HAProxy's <c>weight</c>.</summary>
    public const uint MaxWeight = 256;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, NodeSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<NodeSession, (string Nonce, long Revision)> _sent = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, (long Applied, string? Error)> _acks = new(StringComparer.Ordinal);
    private RuntimeState? _state;

    /// <summary>The current set (loaded from the store on first use).</summary>
    public async Task<RuntimeState> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _state) is { } state)
        {
            return state;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _state ??= await store.LoadAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The current set with every node's status.</summary>
    public async Task<RuntimeServersResponse> DescribeAsync(CancellationToken cancellationToken)
    {
        var state = await GetAsync(cancellationToken);
        return new RuntimeServersResponse(state.Revision, state.Overrides, NodeStatuses(state.Revision));
    }

    /// <summary>Sets (part of) a server's override, as <c>set server &lt;b&gt;/&lt;s&gt; state|weight</c>.</summary>
    public async Task<RuntimeChangeResult> SetAsync(string backend, string server, RuntimeServerRequest request, string actor, CancellationToken cancellationToken)
    {
        var obj = ObjectNames.Server(backend, server);
        var errors = new List<ValidationError>();
        if (request.State is null && request.Weight is null)
        {
            errors.Add(new(obj, "body", "must set state, weight or both"));
        }

        if (request.State is { } state && !Enum.IsDefined(state))
        {
            errors.Add(new(obj, "state", "must be one of: ready, drain, maint"));
        }

        if (request.Weight > MaxWeight)
        {
            errors.Add(new(obj, "weight", $"must be 0-{MaxWeight} (got {request.Weight})"));
        }

        if (errors.Count > 0)
        {
            return new RuntimeChangeResult(null, false, errors);
        }

        var (found, backendMessage, serverMessage) = await FindAsync(backend, server, cancellationToken);
        if (!found)
        {
            return new RuntimeChangeResult(null, true, [new(backendMessage is null ? ObjectNames.Backend(backend) : obj, "name", "not found")]);
        }

        if (request.Weight is { } weight && weight != 0 && IsStatic(backendMessage!))
        {
            var configured = serverMessage!.HasWeight ? serverMessage.Weight : 1;
            if (weight != configured)
            {
                return new RuntimeChangeResult(null, false, [new(obj, "weight", $"backend '{backend}' uses a static algorithm ({Describe(backendMessage!)}), which only accepts weights 0 and {configured} (the configured weight), as HAProxy (got {weight})")]);
            }
        }

        return await ChangeAsync(async () => await store.SetAsync(backend, server, request.State, request.Weight, actor, cancellationToken), cancellationToken);
    }

    /// <summary>Clears a server's override; NotFound when it has none.</summary>
    public async Task<RuntimeChangeResult> ClearAsync(string backend, string server, string actor, CancellationToken cancellationToken)
    {
        var result = await ChangeAsync(() => store.ClearAsync(backend, server, actor, cancellationToken), cancellationToken);
        return result.State is null
            ? new RuntimeChangeResult(null, true, [new(ObjectNames.Server(backend, server), "name", "has no runtime override")])
            : result;
    }

    /// <summary>Drops the overrides of servers that <paramref name="config"/> (just published as <paramref name="version"/>) lacks.</summary>
    public async Task PruneAsync(Config config, long version, string actor, CancellationToken cancellationToken) =>
        await ChangeAsync(() => store.PruneAsync(config, version, actor, cancellationToken), cancellationToken);

    /// <summary>Registers a node stream and queues the current set for it (sent after its snapshot).</summary>
    public async Task AttachAsync(NodeSession session, CancellationToken cancellationToken)
    {
        var state = await GetAsync(cancellationToken);
        lock (_lock)
        {
            _sessions[session.NodeId] = session;
            if (state.Revision > 0)
            {
                // A new stream may come from a restarted node that holds no override: it counts as applied again
                // only once it acknowledges the set sent on this stream.
                _acks.Remove(session.NodeId);
            }
        }

        if (state.Revision > 0)
        {
            session.OfferRuntime(state);
        }
    }

    /// <summary>Unregisters a node stream that ended.</summary>
    public void Detach(NodeSession session)
    {
        lock (_lock)
        {
            if (_sessions.TryGetValue(session.NodeId, out var current) && ReferenceEquals(current, session))
            {
                _sessions.Remove(session.NodeId);
            }

            _sent.Remove(session);
        }
    }

    /// <summary>The message that sends <paramref name="state"/> on <paramref name="session"/>, with a fresh nonce.</summary>
    public ControlMessage BeginSend(NodeSession session, RuntimeState state)
    {
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        lock (_lock)
        {
            _sent[session] = (nonce, state.Revision);
        }

        return state.ToMessage(nonce);
    }

    /// <summary>Records a RuntimeAck; false when its nonce is not the last one sent on the stream.</summary>
    public bool OnAck(NodeSession session, RuntimeAck ack) => Record(session, ack.Nonce, null);

    /// <summary>Records a RuntimeNack; false when its nonce is stale.</summary>
    public bool OnNack(NodeSession session, RuntimeNack nack)
    {
        var recorded = Record(session, nack.Nonce, string.IsNullOrEmpty(nack.ErrorDetail) ? "rejected without detail" : nack.ErrorDetail);
        if (recorded)
        {
            logger.LogWarning("Node {NodeId} rejected runtime revision {Revision}: {Error}", session.NodeId, nack.Revision, nack.ErrorDetail);
        }

        return recorded;
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private bool Record(NodeSession session, string nonce, string? error)
    {
        lock (_lock)
        {
            if (!_sent.TryGetValue(session, out var sent) || !string.Equals(sent.Nonce, nonce, StringComparison.Ordinal))
            {
                return false;
            }

            _acks.TryGetValue(session.NodeId, out var previous);
            _acks[session.NodeId] = error is null ? (sent.Revision, null) : (previous.Applied, error);
            return true;
        }
    }

    private RuntimeNodeStatus[] NodeStatuses(long revision)
    {
        lock (_lock)
        {
            var ids = _sessions.Keys.Concat(_acks.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            return [.. ids.Select(id =>
            {
                var connected = _sessions.TryGetValue(id, out var session);
                var sentRevision = connected && _sent.TryGetValue(session!, out var sent) ? sent.Revision : 0;
                _acks.TryGetValue(id, out var ack);
                return new RuntimeNodeStatus(id, connected, sentRevision, ack.Applied, ack.Applied == revision, ack.Error);
            })];
        }
    }

    private async Task<RuntimeChangeResult> ChangeAsync(Func<Task<RuntimeState?>> change, CancellationToken cancellationToken)
    {
        await GetAsync(cancellationToken);
        RuntimeState? state;
        NodeSession[] sessions;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            state = await change();
            if (state is null)
            {
                return new RuntimeChangeResult(null, false, []);
            }

            Volatile.Write(ref _state, state);
            lock (_lock)
            {
                sessions = [.. _sessions.Values];
            }

            // Offered under the gate so streams see revisions in order.
            foreach (var session in sessions)
            {
                session.OfferRuntime(state);
            }
        }
        finally
        {
            _gate.Release();
        }

        logger.LogInformation("Runtime revision {Revision} ({Count} server overrides) queued for {Streams} connected node(s)", state.Revision, state.Overrides.Count, sessions.Length);
        return new RuntimeChangeResult(state, false, []);
    }

    private async Task<(bool Found, Backend? Backend, Server? Server)> FindAsync(string backend, string server, CancellationToken cancellationToken)
    {
        // The published version is what nodes run; the working config may already hold a server about to be published.
        var published = fleet.Latest?.Config.Backends.FirstOrDefault(b => b.Name == backend);
        if (published?.Servers.FirstOrDefault(s => s.Name == server) is { } running)
        {
            return (true, published, running);
        }

        var servers = await working.ListServersAsync(backend, cancellationToken);
        if (servers?.FirstOrDefault(s => s.Name == server) is { } spec)
        {
            var backendSpec = await working.GetBackendAsync(backend, cancellationToken);
            var backendMessage = backendSpec is null ? new Backend { Name = backend } : Model.SpecMapping.ToProto(backendSpec, [], ObjectNames.Backend(backend), null);
            return (true, backendMessage, Model.SpecMapping.ToProto(spec));
        }

        return (false, published ?? (servers is null ? null : new Backend { Name = backend }), null);
    }

    private static bool IsStatic(Backend backend) =>
        backend.Balance == Balance.StaticRr
        || (backend.Balance is Balance.Source or Balance.Uri or Balance.UrlParam or Balance.Hdr && backend.HashType == HashType.MapBased);

    private static string Describe(Backend backend) => backend.Balance == Balance.StaticRr
        ? "static-rr"
        : $"{Model.HaproxyWords.ToWord(backend.Balance)} with hash-type map-based";
}
