using System.Collections.Immutable;
using Ballast.DataPlane.Config;

namespace Ballast.DataPlane.LoadBalancing.Hashing;

/// <summary>
/// HAProxy's static server map (src/lb_map.c), used by <c>static-rr</c> and <c>hash-type map-based</c>: an array of
/// <c>tot_weight</c> slots, where each usable server appears <c>weight / gcd</c> times (the gcd of all configured
/// non-zero weights, HAProxy's <c>wmult</c>), interleaved by <c>recalc_server_map()</c>'s scoring so that, for equal
/// scores, declaration order wins. A hash picks slot <c>hash % tot_weight</c>; round robin walks the slots.
/// </summary>
internal sealed class ServerMap : IServerTable
{
    private readonly ImmutableArray<ServerRuntime> _servers;
    private readonly int[] _slots;

    private ServerMap(ImmutableArray<ServerRuntime> servers, int[] slots)
    {
        _servers = servers;
        _slots = slots;
    }

    /// <inheritdoc />
    public bool IsEmpty => _slots.Length == 0;

    /// <summary>Server indexes of the map's slots, in order (for tests and diagnostics).</summary>
    public ReadOnlySpan<int> Slots => _slots;

    /// <summary>Builds the map of the servers usable now, as <c>init_server_map()</c> then <c>recalc_server_map()</c>.</summary>
    /// <param name="servers">Every server of the backend in declaration order.</param>
    public static ServerMap Build(ImmutableArray<ServerRuntime> servers)
    {
        // wmult: gcd of every configured non-zero weight, usable or not (computed once at configuration time).
        var gcd = 0;
        foreach (var server in servers)
        {
            if (server.Weight > 0)
            {
                gcd = Gcd(gcd, server.Weight);
            }
        }

        var weights = new int[servers.Length];
        var total = 0;
        for (var i = 0; i < servers.Length; i++)
        {
            if (servers[i].IsUsable)
            {
                weights[i] = servers[i].Weight / gcd;
                total += weights[i];
            }
        }

        return new ServerMap(servers, Recalc(weights, total));
    }

    /// <summary>
    /// HAProxy's <c>recalc_server_map()</c>: for each slot, every usable server gains its weight in score, the first
    /// server with the highest <c>(score + total) / total</c> (C integer division) takes the slot and pays the total.
    /// </summary>
    /// <param name="weights">Effective weight per server (0 = not usable).</param>
    /// <param name="total">Sum of the weights.</param>
    /// <returns>Server index per slot.</returns>
    public static int[] Recalc(ReadOnlySpan<int> weights, int total)
    {
        var slots = new int[total];
        var scores = new int[weights.Length];
        for (var slot = 0; slot < total; slot++)
        {
            var best = -1;
            var max = 0;
            for (var i = 0; i < weights.Length; i++)
            {
                if (weights[i] == 0)
                {
                    continue;
                }

                if (total == 1)
                {
                    best = i;
                    break;
                }

                scores[i] += weights[i];
                var v = (scores[i] + total) / total;
                if (best < 0 || v > max)
                {
                    max = v;
                    best = i;
                }
            }

            slots[slot] = best;
            scores[best] -= total;
        }

        return slots;
    }

    /// <inheritdoc />
    /// <remarks>As <c>map_get_server_hash()</c>, the map ignores exclusions: a redispatch lands on the same server.</remarks>
    public ServerRuntime? Lookup(uint hash, in ServerExclusions exclude) =>
        _slots.Length == 0 ? null : _servers[_slots[(int)(hash % (uint)_slots.Length)]];

    /// <inheritdoc />
    public ServerRuntime? NextRoundRobin(RoundRobinPosition position, in ServerExclusions exclude)
    {
        var length = (ulong)_slots.Length;
        if (length == 0)
        {
            return null;
        }

        var start = exclude.IsEmpty ? position.Next() : position.Peek();
        for (ulong i = 0; i < length; i++)
        {
            var server = _servers[_slots[(int)((start + i) % length)]];
            if (!exclude.Contains(server) && server.TryAcquire())
            {
                return server;
            }
        }

        return null;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
