using System.Collections.Immutable;
using Ballast.DataPlane.Config;

namespace Ballast.DataPlane.LoadBalancing;

/// <summary>
/// HAProxy's "fast weighted round robin" of <c>balance roundrobin</c> for one group of servers (the active servers,
/// or the backups under <c>option allbackups</c>), reimplemented from HAProxy 2.6 <c>src/lb_fwrr.c</c>
/// (Willy Tarreau, GPL-2.0+): same trees, positions and integer arithmetic, so that the sequence of servers is
/// HAProxy's for any weights.
/// <para>
/// Servers wait in three trees: <c>init</c> (sorted by decreasing weight: servers not yet placed in this window),
/// <c>curr</c> (sorted by next position <c>npos</c>) and <c>next</c> (servers whose next position falls beyond the
/// window). The window is <c>[curr_weight, 2 * curr_weight)</c>, <c>curr_weight</c> being the sum of the effective
/// weights (<c>weight * 16</c>); each pick advances <c>curr_pos</c> by one and moves the picked server
/// <c>next_weight / eweight</c> positions ahead (the remainder carried in <c>rweight</c>). When <c>curr</c> and
/// <c>init</c> are exhausted the <c>init</c> and <c>next</c> trees are swapped. A server at its <c>maxconn</c> (or
/// with requests in its own queue) is consumed and requeued as HAProxy does, so it loses its turn.
/// </para>
/// <para>
/// Live changes: every pick first compares each server's current usability (<see cref="ServerRuntime.IsUsable"/>)
/// and effective weight (<see cref="ServerRuntime.EffectiveWeight"/>, which follows runtime weight changes and
/// <c>slowstart</c>) with what the group last committed and applies HAProxy's <c>fwrr_set_server_status_up/down</c>
/// and <c>fwrr_update_server_weight</c> for each difference, in server order. The group outlives snapshots while the
/// server list keeps the same names (it is held by <see cref="RoundRobinPosition"/>). Thread-safe: picks are
/// serialized by a lock, as HAProxy's LB lock.
/// </para>
/// </summary>
internal sealed class FwrrGroup
{
    private const int WeightScale = HaproxyDefaults.WeightScale; // BE_WEIGHT_SCALE
    private const int MaxEffectiveWeight = HaproxyDefaults.EffectiveWeightRange; // SRV_EWGHT_MAX
    private const int UserWeightRange = HaproxyDefaults.MaxWeight; // SRV_UWGHT_RANGE

    private readonly object _gate = new();
    private readonly ImmutableArray<string> _names;
    private readonly FwrrNode[] _nodes;
    private readonly FwrrTree _current = new();
    private readonly List<FwrrNode> _full = [];
    private FwrrTree _init = new();
    private FwrrTree _next = new();
    private int _currentPosition;
    private int _currentWeight;
    private int _nextWeight;
    private int _usableCount;
    private long _sequence;

    /// <summary>Builds the group from the servers' current usability and weights (<c>fwrr_init_server_groups</c>).</summary>
    /// <param name="servers">The servers of the group, in declaration order.</param>
    public FwrrGroup(ImmutableArray<ServerRuntime> servers)
    {
        _names = servers.Select(s => s.Name).ToImmutableArray();
        _nodes = new FwrrNode[servers.Length];
        var total = 0;
        for (var i = 0; i < servers.Length; i++)
        {
            var node = new FwrrNode(i) { EffectiveWeight = servers[i].EffectiveWeight };
            node.Usable = IsUsable(servers[i], node.EffectiveWeight);
            _nodes[i] = node;
            if (node.Usable)
            {
                total += node.EffectiveWeight;
                _usableCount++;
            }
        }

        _currentPosition = _currentWeight = _nextWeight = total;
        foreach (var node in _nodes)
        {
            if (node.Usable)
            {
                QueueByWeight(_init, node);
            }
        }
    }

    /// <summary>Whether this group was built for <paramref name="servers"/> (same names in the same order).</summary>
    /// <param name="servers">A balancer's server list.</param>
    public bool Fits(ImmutableArray<ServerRuntime> servers)
    {
        if (servers.Length != _names.Length)
        {
            return false;
        }

        for (var i = 0; i < servers.Length; i++)
        {
            if (!string.Equals(servers[i].Name, _names[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Picks the next server (<c>fwrr_get_next_server</c>) and takes a request slot on it. Excluded servers are
    /// avoided as HAProxy's <c>srvtoavoid</c>: consumed and requeued, and returned only when no other server can
    /// take the request.
    /// </summary>
    /// <param name="servers">The group's servers (same list as at construction, possibly a newer snapshot's).</param>
    /// <param name="exclude">Servers to avoid (redispatch).</param>
    /// <returns>The server with a slot taken, or null when no usable server has a free slot.</returns>
    public ServerRuntime? Pick(ImmutableArray<ServerRuntime> servers, in ServerExclusions exclude)
    {
        lock (_gate)
        {
            ApplyChanges(servers);
            if (_usableCount == 0)
            {
                return null;
            }

            var switched = false;
            FwrrNode? avoided = null;
            FwrrNode? chosen = null;
            _full.Clear();
            while (chosen is null)
            {
                if (_currentWeight == 0)
                {
                    _currentPosition = _currentWeight = _nextWeight;
                }

                var node = FromGroup();
                if (node is null)
                {
                    if (!switched)
                    {
                        switched = true;
                        SwitchTrees();
                        continue;
                    }

                    chosen = avoided;
                    break;
                }

                UpdatePosition(node);
                FwrrTree.Delete(node);
                _currentPosition++;
                var server = servers[node.Index];
                if (!IsSaturated(server))
                {
                    // HAProxy avoids one server (srvtoavoid); several excluded servers are each avoided, the first
                    // one met being the last resort.
                    if (!exclude.Contains(server))
                    {
                        if (server.TryAcquire())
                        {
                            chosen = node;
                            break;
                        }
                    }
                    else
                    {
                        avoided ??= node;
                    }
                }

                _full.Add(node);
            }

            if (chosen is not null)
            {
                Queue(chosen);
            }

            // Requeue the saturated/avoided servers, most recently extracted first as HAProxy's next_full chain.
            for (var i = _full.Count - 1; i >= 0; i--)
            {
                var node = _full[i];
                if (ReferenceEquals(node, chosen))
                {
                    continue;
                }

                if (switched)
                {
                    QueueByWeight(_init, node); // the tree switched: their places are lost, only their weight counts
                }
                else
                {
                    Queue(node);
                }
            }

            _full.Clear();
            if (chosen is null)
            {
                return null;
            }

            var picked = servers[chosen.Index];
            return ReferenceEquals(chosen, avoided) && !picked.TryAcquire() ? null : picked;
        }
    }

    /// <summary>A readable dump of the group's state, for test failure messages.</summary>
    public string Describe()
    {
        lock (_gate)
        {
            return $"curr_pos={_currentPosition} curr_weight={_currentWeight} next_weight={_nextWeight} "
                + string.Join(", ", _nodes.Select(n => $"#{n.Index}:ew={n.EffectiveWeight},npos={n.NextPosition},rw={n.RemainderWeight},"
                    + (n.Tree is null ? "down" : ReferenceEquals(n.Tree, _current) ? "curr" : ReferenceEquals(n.Tree, _init) ? "init" : "next")));
        }
    }

    /// <summary>HAProxy's <c>srv_willbe_usable</c>: usable and a non-zero effective weight.</summary>
    private static bool IsUsable(ServerRuntime server, int effectiveWeight) => effectiveWeight > 0 && server.IsUsable;

    /// <summary>
    /// A server with <c>maxconn</c> that is full or already has requests waiting in its own queue (HAProxy:
    /// <c>srv-&gt;maxconn &amp;&amp; (srv-&gt;queue.length || srv-&gt;served &gt;= srv_dynamic_maxconn(srv))</c>).
    /// </summary>
    private static bool IsSaturated(ServerRuntime server) =>
        server.MaxConn > 0 && (!server.HasFreeSlot || server.PendingQueue is { Length: > 0 });

    private void ApplyChanges(ImmutableArray<ServerRuntime> servers)
    {
        for (var i = 0; i < _nodes.Length; i++)
        {
            var node = _nodes[i];
            var weight = servers[i].EffectiveWeight;
            var usable = IsUsable(servers[i], weight);
            if (usable != node.Usable || weight != node.EffectiveWeight)
            {
                UpdateServerWeight(node, usable, weight);
            }
        }
    }

    /// <summary><c>fwrr_update_server_weight</c>: applies a new usability and effective weight to a server.</summary>
    private void UpdateServerWeight(FwrrNode node, bool usable, int weight)
    {
        if (!node.Usable && !usable)
        {
            node.EffectiveWeight = weight;
            return;
        }

        if (!node.Usable)
        {
            SetUp(node, weight);
            return;
        }

        if (!usable)
        {
            SetDown(node, weight);
            return;
        }

        _nextWeight = _nextWeight - node.EffectiveWeight + weight;
        node.EffectiveWeight = weight;
        if (ReferenceEquals(node.Tree, _init))
        {
            FwrrTree.Delete(node);
            QueueByWeight(_init, node);
        }
        else if (node.Tree is null)
        {
            FwrrTree.Delete(node);
            Extract(node);
            node.NextPosition = _currentPosition + ((_nextWeight + _currentWeight - _currentPosition) / weight);
            Queue(node);
        }
        else
        {
            // Still in the current or next window: keep the places it has not consumed, at its new pace.
            Extract(node);
            var previousNext = node.NextPosition;
            var step = _nextWeight / weight;
            node.NextPosition = node.LastPosition + step;
            node.RemainderWeight = 0;
            if (node.NextPosition > previousNext)
            {
                node.NextPosition = previousNext;
            }

            if (node.NextPosition < _currentPosition + 2)
            {
                node.NextPosition = _currentPosition + step;
            }

            FwrrTree.Delete(node);
            Queue(node);
        }
    }

    /// <summary><c>fwrr_set_server_status_up</c>: the server becomes usable with effective weight <paramref name="weight"/>.</summary>
    private void SetUp(FwrrNode node, int weight)
    {
        _nextWeight += weight;
        _usableCount++;
        node.Usable = true;
        node.EffectiveWeight = weight;
        Extract(node);
        node.NextPosition = _currentPosition + ((_nextWeight + _currentWeight - _currentPosition) / weight);
        Queue(node);
    }

    /// <summary><c>fwrr_set_server_status_down</c>: the server leaves the trees.</summary>
    private void SetDown(FwrrNode node, int weight)
    {
        _nextWeight -= node.EffectiveWeight;
        _usableCount--;
        node.Usable = false;
        node.EffectiveWeight = weight;
        FwrrTree.Delete(node);
        node.Tree = null;
    }

    /// <summary><c>fwrr_queue_by_weight</c>: heavy servers first, equal weights in arrival order.</summary>
    private void QueueByWeight(FwrrTree tree, FwrrNode node) =>
        tree.Insert(node, (uint)(MaxEffectiveWeight - node.EffectiveWeight), ++_sequence);

    /// <summary>
    /// <c>fwrr_queue_srv</c>: into <c>curr</c> at its next position, or into <c>next</c> (position rebased) when
    /// it falls beyond this window or beyond the theoretical next one.
    /// </summary>
    private void Queue(FwrrNode node)
    {
        if (!node.Usable)
        {
            node.Tree = null;
        }
        else if (node.EffectiveWeight <= 0
            || node.NextPosition >= 2 * _currentWeight
            || node.NextPosition >= _currentWeight + _nextWeight)
        {
            node.NextPosition -= _currentWeight;
            QueueByWeight(_next, node);
        }
        else
        {
            // Position first, then the heavier server (and the larger remainder) among equal positions.
            var key = unchecked((uint)(UserWeightRange * node.NextPosition)
                + ((uint)(MaxEffectiveWeight + node.RemainderWeight - node.EffectiveWeight) / WeightScale));
            _current.Insert(node, key, ++_sequence);
        }
    }

    /// <summary><c>fwrr_get_srv</c>: prepares a server taken out of its tree.</summary>
    private void Extract(FwrrNode node)
    {
        if (ReferenceEquals(node.Tree, _init))
        {
            node.NextPosition = node.RemainderWeight = 0;
        }
        else if (ReferenceEquals(node.Tree, _next))
        {
            node.NextPosition += _currentWeight;
        }
        else if (node.Tree is null)
        {
            node.NextPosition = _currentPosition;
        }
    }

    /// <summary><c>fwrr_switch_trees</c>: the next window starts with the servers of <c>next</c> as <c>init</c>.</summary>
    private void SwitchTrees()
    {
        (_init, _next) = (_next, _init);
        _currentWeight = _nextWeight;
        _currentPosition = _currentWeight;
    }

    /// <summary>
    /// <c>fwrr_get_server_from_group</c>: the first server of <c>curr</c> if due, else the heaviest of <c>init</c>,
    /// else the first of <c>curr</c> even though early (a hole), else none.
    /// </summary>
    private FwrrNode? FromGroup()
    {
        var first = _current.First;
        if (first is not null && first.EffectiveWeight > 0 && first.NextPosition <= _currentPosition)
        {
            return first;
        }

        var waiting = _init.First;
        if (waiting is not null && waiting.EffectiveWeight > 0)
        {
            waiting.NextPosition = waiting.RemainderWeight = 0;
            return waiting;
        }

        return first;
    }

    /// <summary><c>fwrr_update_position</c>: moves a picked server <c>next_weight / eweight</c> positions ahead.</summary>
    private void UpdatePosition(FwrrNode node)
    {
        var weight = node.EffectiveWeight;
        if (weight == 0)
        {
            return;
        }

        if (node.NextPosition == 0)
        {
            node.NextPosition = _currentPosition; // first time in this window
        }

        node.LastPosition = node.NextPosition;
        node.NextPosition += _nextWeight / weight;
        node.RemainderWeight += _nextWeight % weight;
        if (node.RemainderWeight >= weight)
        {
            node.RemainderWeight -= weight;
            node.NextPosition++;
        }
    }
}
