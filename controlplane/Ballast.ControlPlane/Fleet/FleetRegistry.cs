using Ballast.ControlPlane.Store;
using Ballast.Proto.Grpc;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Fleet;

/// <summary>
/// Every node the control plane knows, its open stream (at most one per node id: the newest wins), its sync
/// state and its latest stats; and the latest published snapshot, fanned out to every open stream on publish.
/// Node records are persisted on hello, ACK, NACK and disconnect (and at most every 30 s for stats-only traffic).
/// </summary>
internal sealed class FleetRegistry(NodeStore nodeStore, TimeProvider timeProvider, ILogger<FleetRegistry> logger)
{
    private static readonly TimeSpan LastSeenPersistInterval = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, NodeRecord> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodeSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodeStats> _stats = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _persistedAt = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _persistGate = new(1, 1);
    private PublishedSnapshot? _latest;

    /// <summary>The latest published snapshot, or null before the first publish.</summary>
    public PublishedSnapshot? Latest
    {
        get
        {
            lock (_lock)
            {
                return _latest;
            }
        }
    }

    /// <summary>Loads known nodes and sets the latest snapshot at startup.</summary>
    public async Task LoadAsync(PublishedSnapshot? latest, CancellationToken cancellationToken)
    {
        var nodes = await nodeStore.LoadAllAsync(cancellationToken);
        lock (_lock)
        {
            _latest = latest;
            foreach (var node in nodes)
            {
                _nodes[node.NodeId] = node;
            }
        }
    }

    /// <summary>Makes <paramref name="snapshot"/> the latest and queues it on every open stream.</summary>
    public void Publish(PublishedSnapshot snapshot)
    {
        int streams;
        lock (_lock)
        {
            if (_latest is not null && _latest.Version >= snapshot.Version)
            {
                return;
            }

            _latest = snapshot;
            foreach (var session in _sessions.Values)
            {
                // A node that said it serves this version number with other content (a cache from another
                // control-plane database) is STALE until it ACKs ours.
                if (_nodes.TryGetValue(session.NodeId, out var record) && record.AppliedVersion == snapshot.Version
                    && session.HelloConfigHash != snapshot.Hash)
                {
                    _nodes[session.NodeId] = record with { AppliedVersion = 0 };
                }

                session.Offer(snapshot);
            }

            streams = _sessions.Count;
        }

        logger.LogInformation("Version {Version} queued for {Streams} connected node(s)", snapshot.Version, streams);
    }

    /// <summary>
    /// Registers a stream that said <paramref name="hello"/>: closes an older stream of the same node, and
    /// queues the latest snapshot unless the node already serves it.
    /// </summary>
    public async Task<NodeSession> ConnectAsync(Hello hello, string peer)
    {
        var session = new NodeSession(hello.NodeId, peer) { HelloConfigHash = hello.AppliedConfigHash };
        var now = timeProvider.GetUtcNow();
        NodeSession? replaced;
        lock (_lock)
        {
            _sessions.TryGetValue(hello.NodeId, out replaced);
            _sessions[hello.NodeId] = session;
            _stats.Remove(hello.NodeId);
            _nodes.TryGetValue(hello.NodeId, out var known);
            // Same version number, other content (a cache from another control-plane database): the node does not
            // serve our version, so it counts as STALE (applied 0) until it ACKs the snapshot sent again below.
            var otherContent = _latest is not null && (long)hello.AppliedVersion == _latest.Version && hello.AppliedConfigHash != _latest.Hash;
            _nodes[hello.NodeId] = new NodeRecord(
                hello.NodeId,
                new Dictionary<string, string>(hello.Labels),
                hello.Hostname,
                hello.SoftwareVersion,
                known?.FirstSeen ?? now,
                now,
                otherContent ? 0 : (long)hello.AppliedVersion,
                known?.LastAckVersion ?? 0,
                known?.LastNackVersion ?? 0,
                known?.LastError);
            if (_latest is not null && ((long)hello.AppliedVersion != _latest.Version || hello.AppliedConfigHash != _latest.Hash))
            {
                session.Offer(_latest);
            }
        }

        if (replaced is not null)
        {
            logger.LogWarning("Node {NodeId} opened a new stream from {Peer}; closing its older stream from {OldPeer}", hello.NodeId, peer, replaced.Peer);
            replaced.Close(new Status(StatusCode.Aborted, $"replaced by a newer stream of node '{hello.NodeId}'"));
        }

        logger.LogInformation(
            "Node {NodeId} connected from {Peer} (host {Hostname}, software {SoftwareVersion}, applied version {AppliedVersion})",
            hello.NodeId, peer, hello.Hostname, hello.SoftwareVersion, hello.AppliedVersion);
        // Not cancellable: once registered, the caller must reach DisconnectAsync, so nothing here may throw.
        await PersistAsync(hello.NodeId, CancellationToken.None);
        return session;
    }

    /// <summary>Handles an ACK; returns false (and changes nothing) when its nonce is stale.</summary>
    public async Task<bool> AckAsync(NodeSession session, Ack ack, CancellationToken cancellationToken)
    {
        if (!session.IsCurrentNonce(ack.Nonce, out var version))
        {
            logger.LogDebug("Node {NodeId}: ignoring ACK with stale nonce {Nonce} (version {Version})", session.NodeId, ack.Nonce, ack.Version);
            Touch(session);
            return false;
        }

        if (!Update(session, r => r with
            {
                LastSeen = timeProvider.GetUtcNow(),
                AppliedVersion = version,
                LastAckVersion = version,
                LastError = version > r.LastNackVersion ? null : r.LastError,
            }))
        {
            return false;
        }

        logger.LogInformation("Node {NodeId} ACKed version {Version} (nonce {Nonce})", session.NodeId, version, ack.Nonce);
        await PersistAsync(session.NodeId, cancellationToken);
        return true;
    }

    /// <summary>Handles a NACK; returns false (and changes nothing) when its nonce is stale.</summary>
    public async Task<bool> NackAsync(NodeSession session, Nack nack, CancellationToken cancellationToken)
    {
        if (!session.IsCurrentNonce(nack.Nonce, out var version))
        {
            logger.LogDebug("Node {NodeId}: ignoring NACK with stale nonce {Nonce} (version {Version})", session.NodeId, nack.Nonce, nack.Version);
            Touch(session);
            return false;
        }

        var error = string.IsNullOrEmpty(nack.ErrorDetail) ? "rejected without detail" : nack.ErrorDetail;
        if (!Update(session, r => r with
            {
                LastSeen = timeProvider.GetUtcNow(),
                AppliedVersion = (long)nack.AppliedVersion,
                LastNackVersion = version,
                LastError = error,
            }))
        {
            return false;
        }

        logger.LogWarning(
            "Node {NodeId} NACKed version {Version} (nonce {Nonce}), still serving {AppliedVersion}: {Error}",
            session.NodeId, version, nack.Nonce, nack.AppliedVersion, error);
        await PersistAsync(session.NodeId, cancellationToken);
        return true;
    }

    /// <summary>Keeps <paramref name="report"/> as the node's latest stats.</summary>
    public async Task StatsAsync(NodeSession session, StatsReport report, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        bool persist;
        lock (_lock)
        {
            if (!IsCurrent(session))
            {
                return;
            }

            _stats[session.NodeId] = new NodeStats(session.NodeId, now, report.TimestampMs, (long)report.AppliedVersion, report.Rows.ToArray());
            _nodes[session.NodeId] = _nodes[session.NodeId] with { LastSeen = now };
            persist = !_persistedAt.TryGetValue(session.NodeId, out var at) || now - at >= LastSeenPersistInterval;
        }

        if (persist)
        {
            await PersistAsync(session.NodeId, cancellationToken);
        }
    }

    /// <summary>Records any other message from the node as a sign of life.</summary>
    public void Touch(NodeSession session) => Update(session, r => r with { LastSeen = timeProvider.GetUtcNow() });

    /// <summary>Unregisters a stream that ended (no effect when a newer stream replaced it).</summary>
    public async Task DisconnectAsync(NodeSession session)
    {
        session.Complete();
        lock (_lock)
        {
            if (!IsCurrent(session))
            {
                return;
            }

            _sessions.Remove(session.NodeId);
            _stats.Remove(session.NodeId);
        }

        logger.LogInformation("Node {NodeId} disconnected ({Peer})", session.NodeId, session.Peer);
        await PersistAsync(session.NodeId, CancellationToken.None);
    }

    /// <summary>Closes every open stream with <paramref name="status"/> (used at shutdown).</summary>
    public void CloseAll(Status status)
    {
        NodeSession[] sessions;
        lock (_lock)
        {
            sessions = [.. _sessions.Values];
        }

        foreach (var session in sessions)
        {
            session.Close(status);
        }
    }

    /// <summary>Every known node with its state, by id.</summary>
    public IReadOnlyList<NodeView> ListNodes()
    {
        lock (_lock)
        {
            var latest = _latest?.Version ?? 0;
            return _nodes.Values
                .OrderBy(n => n.NodeId, StringComparer.Ordinal)
                .Select(n => new NodeView(n, _sessions.ContainsKey(n.NodeId), StatusOf(n, _sessions.ContainsKey(n.NodeId), latest)))
                .ToArray();
        }
    }

    /// <summary>One node, or null.</summary>
    public NodeView? GetNode(string nodeId) => ListNodes().FirstOrDefault(n => n.Record.NodeId == nodeId);

    /// <summary>Latest stats of every connected node and the fleet-wide sum.</summary>
    public FleetStats GetStats()
    {
        NodeStats[] nodes;
        lock (_lock)
        {
            nodes = _stats.Values.OrderBy(s => s.NodeId, StringComparer.Ordinal).ToArray();
        }

        return new FleetStats(nodes, StatsAggregator.Sum(nodes));
    }

    private static NodeSyncStatus StatusOf(NodeRecord node, bool connected, long latest) =>
        !connected ? NodeSyncStatus.Disconnected
        : node.AppliedVersion == latest ? NodeSyncStatus.Synced
        : latest != 0 && node.LastNackVersion == latest ? NodeSyncStatus.Rejected
        : NodeSyncStatus.Stale;

    private bool IsCurrent(NodeSession session) =>
        _sessions.TryGetValue(session.NodeId, out var current) && ReferenceEquals(current, session);

    private bool Update(NodeSession session, Func<NodeRecord, NodeRecord> change)
    {
        lock (_lock)
        {
            if (!IsCurrent(session))
            {
                return false;
            }

            _nodes[session.NodeId] = change(_nodes[session.NodeId]);
            return true;
        }
    }

    private async Task PersistAsync(string nodeId, CancellationToken cancellationToken)
    {
        await _persistGate.WaitAsync(cancellationToken);
        try
        {
            NodeRecord record;
            lock (_lock)
            {
                record = _nodes[nodeId];
                _persistedAt[nodeId] = timeProvider.GetUtcNow();
            }

            await nodeStore.SaveAsync(record, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not save the state of node {NodeId}", nodeId);
        }
        finally
        {
            _persistGate.Release();
        }
    }
}
