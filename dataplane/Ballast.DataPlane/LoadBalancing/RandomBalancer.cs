using System.Collections.Immutable;
using Ballast.DataPlane.Config;
using Ballast.DataPlane.LoadBalancing.Hashing;

namespace Ballast.DataPlane.LoadBalancing;

/// <summary>
/// HAProxy <c>balance random(&lt;draws&gt;)</c> (<c>get_server_rnd()</c>): each draw is a random 32-bit key looked up on
/// the consistent ring (so weights are respected); of the servers drawn, the one with the fewest current connections
/// relative to its weight wins (a later draw replaces the best only when strictly less loaded). Two draws, the
/// default, is "power of two random choices". Where HAProxy would queue because the winner is full, the next server
/// on the ring with a free slot is taken instead (queueing is not implemented).
/// </summary>
internal sealed class RandomBalancer : Balancer
{
    private readonly HealthEpochCache<ConsistentHashRing> _ring;
    private readonly RoundRobinPosition _position;
    private readonly int _draws;
    private readonly Random _random;

    /// <summary>Creates the balancer.</summary>
    /// <param name="draws">Draws per pick, at least 1.</param>
    /// <param name="servers">The backend's servers.</param>
    /// <param name="state">Backend state: position and health epoch.</param>
    /// <param name="random">Random source (<see cref="Random.Shared"/> by default).</param>
    public RandomBalancer(int draws, ImmutableArray<ServerRuntime> servers, BackendState state, Random? random = null)
    {
        _draws = Math.Max(1, draws);
        _position = state.Position;
        _random = random ?? Random.Shared;
        _ring = new HealthEpochCache<ConsistentHashRing>(state, () => ConsistentHashRing.Build(servers));
    }

    /// <inheritdoc />
    public override ServerRuntime? Pick(in BalanceInput input, in ServerExclusions exclude)
    {
        var ring = _ring.Current;
        if (ring.IsEmpty)
        {
            return null;
        }

        ServerRuntime? best = null;
        for (var draw = 0; draw < _draws; draw++)
        {
            var candidate = ring.Lookup((uint)_random.NextInt64(0x1_0000_0000), exclude);
            if (candidate is null)
            {
                break;
            }

            // HAProxy: keep the previous choice when curr->served * prev->weight > prev->served * curr->weight.
            if (best is not null && !ReferenceEquals(best, candidate)
                && Load(candidate) * best.Weight > Load(best) * candidate.Weight)
            {
                candidate = best;
            }

            best = candidate;
        }

        if (best is null || exclude.Contains(best))
        {
            return null;
        }

        return best.TryAcquire() ? best : ring.NextRoundRobin(_position, exclude);
    }

    private static long Load(ServerRuntime server) => Math.Max(0, server.State.Counters.Scur);
}
