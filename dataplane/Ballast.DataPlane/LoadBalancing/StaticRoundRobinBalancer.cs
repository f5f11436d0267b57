using System.Collections.Immutable;
using Ballast.DataPlane.Config;
using Ballast.DataPlane.LoadBalancing.Hashing;

namespace Ballast.DataPlane.LoadBalancing;

/// <summary>
/// HAProxy <c>balance static-rr</c>: round robin over HAProxy's static server map (<see cref="ServerMap"/>, the
/// same slot order as <c>map_get_server_rr()</c>), rebuilt when a server goes up or down so that a returning server
/// is reintroduced at once with its full weight. The map is built from the initial weights: a running server's
/// weight change has no effect (see <see cref="ServerRuntime.InitialWeight"/>). A server at <c>maxconn</c> is skipped.
/// </summary>
internal sealed class StaticRoundRobinBalancer : Balancer
{
    private readonly HealthEpochCache<ServerMap> _map;
    private readonly RoundRobinPosition _position;

    /// <summary>Creates the balancer.</summary>
    /// <param name="servers">The backend's servers.</param>
    /// <param name="state">Backend state: position and health epoch.</param>
    public StaticRoundRobinBalancer(ImmutableArray<ServerRuntime> servers, BackendState state)
    {
        _position = state.Position;
        _map = new HealthEpochCache<ServerMap>(state, () => ServerMap.Build(servers));
    }

    /// <summary>The current map (for tests and diagnostics).</summary>
    public ServerMap Map => _map.Current;

    /// <inheritdoc />
    public override ServerRuntime? Pick(in BalanceInput input, in ServerExclusions exclude) =>
        _map.Current.NextRoundRobin(_position, exclude);
}
