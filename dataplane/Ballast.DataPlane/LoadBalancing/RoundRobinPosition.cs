using System.Collections.Immutable;
using Ballast.DataPlane.Config;

namespace Ballast.DataPlane.LoadBalancing;

/// <summary>
/// Round-robin state of one backend's current server list: a lock-free cursor (static-rr and the round-robin fallback
/// of hashing algorithms) and the <see cref="FwrrGroup"/>s of <c>balance roundrobin</c> (active servers, and backups
/// under <c>option allbackups</c>). Replaced when the server list changes.
/// </summary>
internal sealed class RoundRobinPosition
{
    private long _next;
    private FwrrGroup? _active;
    private FwrrGroup? _backup;

    /// <summary>Returns the current position and advances it.</summary>
    public ulong Next() => (ulong)(Interlocked.Increment(ref _next) - 1);

    /// <summary>Returns the current position without advancing it.</summary>
    public ulong Peek() => (ulong)Volatile.Read(ref _next);

    /// <summary>
    /// The fwrr group of <paramref name="servers"/> (the backups' group when they are backups), created on first use
    /// and kept while later snapshots bring the same server names.
    /// </summary>
    /// <param name="servers">The servers of one balancer.</param>
    public FwrrGroup FwrrGroupFor(ImmutableArray<ServerRuntime> servers)
    {
        ref var slot = ref (servers.Length > 0 && servers[0].IsBackup ? ref _backup : ref _active);
        var group = Volatile.Read(ref slot);
        if (group is not null && group.Fits(servers))
        {
            return group;
        }

        var created = new FwrrGroup(servers);
        var seen = Interlocked.CompareExchange(ref slot, created, group);
        return ReferenceEquals(seen, group) ? created : (seen!.Fits(servers) ? seen : created);
    }
}
