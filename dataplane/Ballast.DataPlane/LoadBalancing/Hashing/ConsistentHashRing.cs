using System.Collections.Immutable;
using Ballast.DataPlane.Config;

namespace Ballast.DataPlane.LoadBalancing.Hashing;

/// <summary>
/// HAProxy's consistent-hash tree (src/lb_chash.c), used by <c>hash-type consistent</c> and <c>balance random</c>:
/// every usable server owns <c>weight * 16</c> points (<c>BE_WEIGHT_SCALE</c>) keyed
/// <c>full_hash(id * 4096 + n)</c>, so the ring depends only on server ids and weights. A hash goes to the closer
/// of the points just before and just at-or-after it (ties to the one before), as <c>chash_get_server_hash()</c>;
/// an excluded server passes the hash on to the next points. Points with equal keys keep declaration order.
/// </summary>
internal sealed class ConsistentHashRing : IServerTable
{
    private readonly ImmutableArray<ServerRuntime> _servers;
    private readonly uint[] _keys;
    private readonly int[] _owners;

    private ConsistentHashRing(ImmutableArray<ServerRuntime> servers, uint[] keys, int[] owners)
    {
        _servers = servers;
        _keys = keys;
        _owners = owners;
    }

    /// <inheritdoc />
    public bool IsEmpty => _keys.Length == 0;

    /// <summary>Number of points on the ring.</summary>
    public int Count => _keys.Length;

    /// <summary>Builds the ring of the servers usable now, as <c>chash_init_server_tree()</c>.</summary>
    /// <param name="servers">Every server of the backend in declaration order.</param>
    public static ConsistentHashRing Build(ImmutableArray<ServerRuntime> servers)
    {
        var count = 0;
        foreach (var server in servers)
        {
            if (server.IsUsable)
            {
                count += server.Weight * HaproxyDefaults.WeightScale;
            }
        }

        // Sort (key, insertion sequence) pairs: equal keys stay in insertion order, as in HAProxy's eb32 tree.
        var points = new ulong[count];
        var owners = new int[count];
        var next = 0;
        for (var i = 0; i < servers.Length; i++)
        {
            var server = servers[i];
            if (!server.IsUsable)
            {
                continue;
            }

            var nodes = server.Weight * HaproxyDefaults.WeightScale;
            for (var node = 0; node < nodes; node++)
            {
                var key = HaproxyHash.FullHash(unchecked(((uint)server.Id * HaproxyDefaults.EffectiveWeightRange) + (uint)node));
                owners[next] = i;
                points[next] = ((ulong)key << 32) | (uint)next;
                next++;
            }
        }

        Array.Sort(points);
        var keys = new uint[count];
        var sortedOwners = new int[count];
        for (var p = 0; p < count; p++)
        {
            keys[p] = (uint)(points[p] >> 32);
            sortedOwners[p] = owners[(int)(uint)points[p]];
        }

        return new ConsistentHashRing(servers, keys, sortedOwners);
    }

    /// <inheritdoc />
    public ServerRuntime? Lookup(uint hash, in ServerExclusions exclude)
    {
        var count = _keys.Length;
        if (count == 0)
        {
            return null;
        }

        var next = LowerBound(hash);
        if (next == count)
        {
            next = 0;
        }

        var prev = next == 0 ? count - 1 : next - 1;
        var chosen = next;
        if (_owners[prev] != _owners[next])
        {
            var distancePrev = unchecked(hash - _keys[prev]);
            var distanceNext = unchecked(_keys[next] - hash);
            if (distancePrev <= distanceNext)
            {
                chosen = prev;
            }
        }
        else
        {
            chosen = next;
        }

        var server = _servers[_owners[chosen]];
        for (var step = 0; step < count && exclude.Contains(server); step++)
        {
            chosen = chosen + 1 == count ? 0 : chosen + 1;
            server = _servers[_owners[chosen]];
        }

        return server;
    }

    /// <inheritdoc />
    public ServerRuntime? NextRoundRobin(RoundRobinPosition position, in ServerExclusions exclude)
    {
        var length = (ulong)_keys.Length;
        if (length == 0)
        {
            return null;
        }

        var start = exclude.IsEmpty ? position.Next() : position.Peek();
        for (ulong i = 0; i < length; i++)
        {
            var server = _servers[_owners[(int)((start + i) % length)]];
            if (!exclude.Contains(server) && server.TryAcquire())
            {
                return server;
            }
        }

        return null;
    }

    private int LowerBound(uint hash)
    {
        int low = 0, high = _keys.Length;
        while (low < high)
        {
            var mid = (int)((uint)(low + high) >> 1);
            if (_keys[mid] < hash)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
