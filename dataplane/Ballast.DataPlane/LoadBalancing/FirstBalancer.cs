using System.Collections.Immutable;
using Ballast.DataPlane.Config;

namespace Ballast.DataPlane.LoadBalancing;

/// <summary>
/// HAProxy <c>balance first</c> (src/lb_fas.c): the usable server with the lowest id (<see cref="ServerRuntime.Id"/>)
/// that has a free <c>maxconn</c> slot takes the request, so servers fill up one after the other and the last ones
/// can be powered off when idle. Weights are ignored (except 0, which makes a server unusable); without
/// <c>maxconn</c> the first server takes everything.
/// </summary>
internal sealed class FirstBalancer : Balancer
{
    private readonly ImmutableArray<ServerRuntime> _byId;

    /// <summary>Creates the balancer.</summary>
    /// <param name="servers">The backend's servers.</param>
    public FirstBalancer(ImmutableArray<ServerRuntime> servers) =>
        _byId = [.. servers.OrderBy(s => s.Id)];

    /// <inheritdoc />
    public override ServerRuntime? Pick(in BalanceInput input, in ServerExclusions exclude)
    {
        foreach (var server in _byId)
        {
            if (server.IsUsable && !exclude.Contains(server) && server.TryAcquire())
            {
                return server;
            }
        }

        return null;
    }
}
