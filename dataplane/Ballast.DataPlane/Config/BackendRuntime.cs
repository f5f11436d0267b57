using System.Collections.Immutable;
using Ballast.DataPlane.LoadBalancing;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Config;

/// <summary>Immutable runtime view of one backend: its servers and how requests are balanced among them.</summary>
internal sealed class BackendRuntime
{
    /// <summary>Creates the backend and its balancer.</summary>
    /// <param name="name">Backend name.</param>
    /// <param name="balance">Balancing algorithm.</param>
    /// <param name="servers">Servers in configuration order.</param>
    /// <param name="state">State surviving snapshot swaps.</param>
    public BackendRuntime(string name, V1.Balance balance, ImmutableArray<ServerRuntime> servers, BackendState state)
    {
        Name = name;
        Balance = balance;
        Servers = servers;
        State = state;
        Balancer = new RoundRobinBalancer(servers, state);
    }

    /// <summary>Backend name.</summary>
    public string Name { get; }

    /// <summary>Balancing algorithm (roundrobin or static-rr).</summary>
    public V1.Balance Balance { get; }

    /// <summary>Servers in configuration order.</summary>
    public ImmutableArray<ServerRuntime> Servers { get; }

    /// <summary>State surviving snapshot swaps.</summary>
    public BackendState State { get; }

    /// <summary>Picks servers for requests.</summary>
    public RoundRobinBalancer Balancer { get; }

    /// <summary>Whether at least one server can take requests (HAProxy backend status UP).</summary>
    public bool IsUp
    {
        get
        {
            foreach (var server in Servers)
            {
                if (server.IsUsable)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
