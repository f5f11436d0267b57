using Ballast.DataPlane.Config;

namespace Ballast.DataPlane.LoadBalancing.Hashing;

/// <summary>
/// How hashes map to the usable servers of a backend: HAProxy's static map (<see cref="ServerMap"/>,
/// <c>hash-type map-based</c>) or consistent-hash tree (<see cref="ConsistentHashRing"/>, <c>hash-type consistent</c>).
/// </summary>
internal interface IServerTable
{
    /// <summary>Whether no server is usable.</summary>
    bool IsEmpty { get; }

    /// <summary>The server designated by <paramref name="hash"/> (no slot taken).</summary>
    /// <param name="hash">The request's hash.</param>
    /// <param name="exclude">Servers to avoid, when the table can (the consistent ring moves on to the next server).</param>
    /// <returns>The server, or null when the table is empty.</returns>
    ServerRuntime? Lookup(uint hash, in ServerExclusions exclude);

    /// <summary>
    /// The next server in the table's own round-robin order that has a free slot and is not excluded, with a slot
    /// taken: HAProxy's fallback when the hashed property is missing (<c>map_get_server_rr</c>,
    /// <c>chash_get_next_server</c>) and the whole of <c>static-rr</c>.
    /// </summary>
    /// <param name="position">The backend's round-robin cursor: advanced by a first attempt, only read by a redispatch.</param>
    /// <param name="exclude">Servers to skip.</param>
    /// <returns>The server, or null when every server is full or excluded.</returns>
    ServerRuntime? NextRoundRobin(RoundRobinPosition position, in ServerExclusions exclude);
}
