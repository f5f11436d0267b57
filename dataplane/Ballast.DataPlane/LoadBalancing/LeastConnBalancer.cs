using System.Collections.Immutable;
using Ballast.DataPlane.Config;

namespace Ballast.DataPlane.LoadBalancing;

/// <summary>
/// HAProxy <c>balance leastconn</c> (src/lb_fwlc.c): the usable server with the lowest
/// <c>current connections * 4096 / (weight * 16)</c> (integer division, as the fwlc tree key) takes the request; among
/// equal keys, the server queued longest ago wins, and taking or releasing a slot requeues a server behind its equals,
/// so equal loads are served in turn. Servers at <c>maxconn</c> and excluded servers are skipped. Picks are serialized
/// by a lock so that concurrent requests see each other's loads, as HAProxy's tree lock does.
/// </summary>
internal sealed class LeastConnBalancer : Balancer
{
    private readonly ImmutableArray<ServerRuntime> _servers;
    private readonly object _gate = new();

    /// <summary>Creates the balancer; every server starts queued in declaration order.</summary>
    /// <param name="servers">The backend's servers.</param>
    public LeastConnBalancer(ImmutableArray<ServerRuntime> servers)
    {
        _servers = servers;
        foreach (var server in servers)
        {
            if (server.State.RequeuedAt == 0)
            {
                server.State.Requeue();
            }
        }
    }

    /// <summary>The fwlc key of a server: <c>served * SRV_EWGHT_MAX / eweight</c> (eweight reduced during slowstart).</summary>
    /// <param name="server">A usable server (weight above 0).</param>
    public static long Key(ServerRuntime server) =>
        Math.Max(0, server.State.Counters.Scur) * HaproxyDefaults.EffectiveWeightRange / server.EffectiveWeight;

    /// <inheritdoc />
    public override ServerRuntime? Pick(in BalanceInput input, in ServerExclusions exclude)
    {
        lock (_gate)
        {
            ServerRuntime? best = null;
            long bestKey = 0;
            foreach (var server in _servers)
            {
                if (!server.IsUsable || !server.HasFreeSlot || exclude.Contains(server))
                {
                    continue;
                }

                var key = Key(server);
                if (best is null || key < bestKey || (key == bestKey && server.State.RequeuedAt < best.State.RequeuedAt))
                {
                    best = server;
                    bestKey = key;
                }
            }

            if (best is null || !best.TryAcquire())
            {
                return null;
            }

            best.State.Requeue();
            return best;
        }
    }
}
