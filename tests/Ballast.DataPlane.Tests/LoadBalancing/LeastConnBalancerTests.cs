using Ballast.DataPlane.LoadBalancing;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using static Ballast.DataPlane.Tests.LoadBalancing.BalancerTestKit;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.LoadBalancing;

public class LeastConnBalancerTests
{
    [Fact]
    public void Leastconn_LongSessions_GoToTheLeastLoadedServer()
    {
        var backend = Build(V1.Balance.Leastconn, Server("a", 1), Server("b", 2), Server("c", 3));

        var held = Hold(backend, 6);

        Assert.Equal("a b c a b c", Names(held));
        held.Where(s => s.Name == "b").ToList().ForEach(s => s.Release()); // b is now idle
        Assert.Equal("b b", Names(Hold(backend, 2)));
        Assert.Equal(2, backend.Servers[1].State.Counters.Scur);
    }

    [Fact]
    public void Leastconn_EqualLoads_AreServedInTurn()
    {
        var backend = Build(V1.Balance.Leastconn, Server("a", 1), Server("b", 2), Server("c", 3));

        // Short requests: every server is idle at each pick, yet they take turns (HAProxy requeues a server behind its
        // equals when it takes or releases a connection).
        Assert.Equal("a b c a b c a b c", PickSequence(backend, 9));
    }

    [Fact]
    public void Leastconn_Weights_ScaleTheLoad()
    {
        var backend = Build(V1.Balance.Leastconn, Server("a", 1, weight: 3), Server("b", 2, weight: 1));

        var held = Hold(backend, 8);

        // Loads per unit of weight stay balanced: a takes three times as many long sessions as b.
        Assert.Equal(6, held.Count(s => s.Name == "a"));
        Assert.Equal(2, held.Count(s => s.Name == "b"));
    }

    [Fact]
    public void Leastconn_KeyIsConnectionsTimes4096OverEffectiveWeight()
    {
        var backend = Build(V1.Balance.Leastconn, Server("a", 1, weight: 3));
        var a = backend.Servers[0];
        Hold(backend, 2);

        Assert.Equal(2 * 4096 / (3 * 16), LeastConnBalancer.Key(a));
    }

    [Fact]
    public void Leastconn_SkipsFullExcludedAndUnusableServers()
    {
        var backend = Build(
            V1.Balance.Leastconn,
            Server("full", 1, maxconn: 1),
            Server("drain", 2, state: V1.ServerState.Drain),
            Server("b", 3),
            Server("c", 4));
        var full = backend.Balancer.Pick()!;
        Assert.Equal("full", full.Name);
        var exclude = default(ServerExclusions);
        exclude.Add(backend.Servers[2]);

        var picked = backend.Balancer.Pick(exclude)!;

        Assert.Equal("c", picked.Name);
    }

    [Fact]
    public void Leastconn_AllFull_ReturnsNull()
    {
        var backend = Build(V1.Balance.Leastconn, Server("a", 1, maxconn: 1));
        Hold(backend, 1);

        Assert.Null(backend.Balancer.Pick());
    }
}
