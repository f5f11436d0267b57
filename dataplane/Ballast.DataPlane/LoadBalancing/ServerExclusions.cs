using Ballast.DataPlane.Config;

namespace Ballast.DataPlane.LoadBalancing;

/// <summary>
/// Servers a request already failed to connect to, skipped when it is redispatched (HAProxy
/// <c>option redispatch</c>). Holds up to <see cref="HaproxyDefaults.Retries"/> servers without allocating.
/// </summary>
internal struct ServerExclusions
{
    private ServerRuntime? _first;
    private ServerRuntime? _second;
    private ServerRuntime? _third;

    /// <summary>Whether no server is excluded.</summary>
    public readonly bool IsEmpty => _first is null;

    /// <summary>Adds a server (ignored beyond three).</summary>
    /// <param name="server">The server that failed.</param>
    public void Add(ServerRuntime server)
    {
        if (_first is null)
        {
            _first = server;
        }
        else if (_second is null)
        {
            _second = server;
        }
        else
        {
            _third ??= server;
        }
    }

    /// <summary>Whether <paramref name="server"/> is excluded.</summary>
    /// <param name="server">The candidate.</param>
    public readonly bool Contains(ServerRuntime server) =>
        ReferenceEquals(server, _first) || ReferenceEquals(server, _second) || ReferenceEquals(server, _third);
}
