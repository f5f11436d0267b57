using System.Collections.Immutable;
using Ballast.DataPlane.Config;

namespace Ballast.DataPlane.LoadBalancing;

/// <summary>
/// Weighted round robin as HAProxy <c>balance roundrobin</c>: servers are picked in a smooth,
/// interleaved weighted cycle (<see cref="SmoothWeightedSchedule"/>) built from the usable servers only (weight 0,
/// DRAIN, MAINT and DOWN servers get no new requests). The cycle is rebuilt when a server changes between UP and
/// DOWN (the backend's health epoch moves); a pick is one interlocked increment and no lock. A server at its
/// <c>maxconn</c> is skipped for the next one in the cycle, as HAProxy does; when every server is full the pick
/// fails and the request waits in the backend's queue (<see cref="BackendQueue"/>).
/// </summary>
internal sealed class RoundRobinBalancer : Balancer
{
    private readonly ImmutableArray<ServerRuntime> _servers;
    private readonly BackendState _state;
    private readonly RoundRobinPosition _position;
    private readonly object _rebuildGate = new();
    private volatile Schedule _schedule;

    /// <summary>Creates the balancer of one backend runtime.</summary>
    /// <param name="servers">The backend's servers.</param>
    /// <param name="state">Backend state: position and health epoch.</param>
    public RoundRobinBalancer(ImmutableArray<ServerRuntime> servers, BackendState state)
    {
        _servers = servers;
        _state = state;
        _position = state.Position;
        _schedule = Build(state.HealthEpoch);
    }

    /// <summary>Server indexes of the current cycle (for tests and diagnostics).</summary>
    public ReadOnlySpan<int> CurrentCycle => CurrentSchedule().Order;

    /// <summary>
    /// Picks the next usable server not in <paramref name="exclude"/> and takes a request slot on it
    /// (the caller must <see cref="ServerRuntime.Release"/> it).
    /// </summary>
    /// <param name="input">Unused: round robin does not look at the request.</param>
    /// <param name="exclude">Servers to skip.</param>
    /// <returns>The server, or null when none is usable or all are full.</returns>
    public override ServerRuntime? Pick(in BalanceInput input, in ServerExclusions exclude)
    {
        var order = CurrentSchedule().Order;
        var length = (ulong)order.Length;
        if (length == 0)
        {
            return null;
        }

        // A redispatch (servers excluded) looks from the current position without consuming it, so retries do not
        // shift the rotation of other requests.
        var start = exclude.IsEmpty ? _position.Next() : _position.Peek();
        for (ulong i = 0; i < length; i++)
        {
            var server = _servers[order[(int)((start + i) % length)]];
            if (!server.IsUsable || exclude.Contains(server))
            {
                continue;
            }

            if (server.TryAcquire())
            {
                return server;
            }
        }

        return null;
    }

    private Schedule CurrentSchedule()
    {
        var schedule = _schedule;
        var epoch = _state.HealthEpoch;
        if (schedule.Epoch == epoch)
        {
            return schedule;
        }

        lock (_rebuildGate)
        {
            schedule = _schedule;
            epoch = _state.HealthEpoch;
            if (schedule.Epoch != epoch)
            {
                schedule = Build(epoch);
                _schedule = schedule;
            }

            return schedule;
        }
    }

    private Schedule Build(int epoch)
    {
        var weights = new int[_servers.Length];
        for (var i = 0; i < weights.Length; i++)
        {
            var server = _servers[i];
            weights[i] = server.IsUsable ? server.EffectiveWeight : 0; // slowstart ramps eweight
        }

        return new Schedule(SmoothWeightedSchedule.Build(weights), epoch);
    }

    private sealed record Schedule(int[] Order, int Epoch);
}
