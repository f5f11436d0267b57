using Ballast.DataPlane.Config;

namespace Ballast.DataPlane.LoadBalancing;

/// <summary>
/// Picks a server of one backend runtime for a request (mode http) or a connection (mode tcp), as HAProxy's
/// <c>assign_server()</c> does with the backend's <c>balance</c> algorithm. A returned server has had a slot taken
/// (<see cref="ServerRuntime.TryAcquire"/>); the caller must <see cref="ServerRuntime.Release"/> it. Only usable
/// servers are picked (READY, weight above 0, UP); a server at <c>maxconn</c> is skipped, or the pick fails when
/// the algorithm designates that one server; a failed pick with usable servers waits in the backend's
/// <see cref="BackendQueue"/>.
/// </summary>
internal abstract class Balancer
{
    /// <summary>Picks a server for <paramref name="input"/>, skipping <paramref name="exclude"/> when the algorithm can.</summary>
    /// <param name="input">What hashing algorithms hash (source address, URI, headers).</param>
    /// <param name="exclude">Servers a redispatched request already failed to connect to.</param>
    /// <returns>The server with a slot taken, or null when none can take it.</returns>
    public abstract ServerRuntime? Pick(in BalanceInput input, in ServerExclusions exclude);

    /// <summary>Picks a server for a request without hash input (hashing algorithms fall back to round robin).</summary>
    /// <param name="exclude">Servers to skip.</param>
    public ServerRuntime? Pick(in ServerExclusions exclude) => Pick(default, exclude);

    /// <summary>Picks a server for a request without hash input and without exclusions.</summary>
    public ServerRuntime? Pick() => Pick(default, default);
}
