using System.Collections.Immutable;
using Ballast.DataPlane.Config;

namespace Ballast.DataPlane.LoadBalancing;

/// <summary>
/// HAProxy <c>balance roundrobin</c>: the fast weighted round robin of HAProxy 2.6 (<see cref="FwrrGroup"/>,
/// reimplemented from <c>src/lb_fwrr.c</c>), so that N requests reach the servers in HAProxy's exact order for any
/// weights. Weight-0, DRAIN, MAINT and DOWN servers get no new requests; weights are read live on every pick
/// (<see cref="ServerRuntime.EffectiveWeight"/>: runtime weight changes and <c>slowstart</c> take effect as HAProxy's
/// <c>fwrr_update_server_weight</c>). A server at its <c>maxconn</c> loses its turn; when every server is full the
/// pick fails and the request waits in the backend's queue (<see cref="BackendQueue"/>). The group state is kept in
/// the backend's <see cref="RoundRobinPosition"/>, so it survives snapshots that keep the server names.
/// </summary>
internal sealed class RoundRobinBalancer : Balancer
{
    private readonly ImmutableArray<ServerRuntime> _servers;
    private readonly FwrrGroup _group;

    /// <summary>Creates the balancer of one backend runtime.</summary>
    /// <param name="servers">The servers of the group (all active, or all backups under <c>option allbackups</c>).</param>
    /// <param name="state">Backend state holding the group across snapshots.</param>
    public RoundRobinBalancer(ImmutableArray<ServerRuntime> servers, BackendState state)
    {
        _servers = servers;
        _group = state.Position.FwrrGroupFor(servers);
    }

    /// <summary>A dump of the fwrr positions (for test failure messages and diagnostics).</summary>
    public string Describe() => _group.Describe();

    /// <summary>
    /// Picks the next server in HAProxy's order and takes a request slot on it (the caller must
    /// <see cref="ServerRuntime.Release"/> it). Excluded servers are avoided, as HAProxy's <c>srvtoavoid</c>: one is
    /// returned only when no other server can take the request.
    /// </summary>
    /// <param name="input">Unused: round robin does not look at the request.</param>
    /// <param name="exclude">Servers to avoid.</param>
    /// <returns>The server, or null when none is usable or all are full.</returns>
    public override ServerRuntime? Pick(in BalanceInput input, in ServerExclusions exclude) => _group.Pick(_servers, exclude);
}
