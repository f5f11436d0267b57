using Ballast.DataPlane.Config;
using Ballast.DataPlane.Health;
using Ballast.DataPlane.LoadBalancing;
using Ballast.DataPlane.Stats;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using static Ballast.DataPlane.Tests.LoadBalancing.BalancerTestKit;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.LoadBalancing;

public class StaticRoundRobinBalancerTests
{
    private static V1.Backend StaticRr(params V1.Server[] servers)
    {
        var backend = Backend("app", servers);
        backend.Balance = V1.Balance.StaticRr;
        return backend;
    }

    [Fact]
    public void StaticRr_FollowsHaproxysMapOrder()
    {
        var backend = Build(StaticRr(Server("a", 1, weight: 3), Server("b", 2, weight: 1)));

        Assert.IsType<StaticRoundRobinBalancer>(backend.Balancer);
        Assert.Equal("a a a b a a a b", PickSequence(backend, 8));
    }

    [Fact]
    public void StaticRr_RuntimeWeightChange_IsIgnored()
    {
        var first = Build(StaticRr(Server("a", 1, weight: 1), Server("b", 2, weight: 1)));

        // The same servers with a new weight: as HAProxy's "set weight" on a static algorithm, nothing changes.
        var second = Build(StaticRr(Server("a", 1, weight: 1), Server("b", 2, weight: 3)), ModelOf(first));

        Assert.Equal(1, second.Servers[1].Weight);
        Assert.Equal(1, second.Servers[1].InitialWeight);
        var picks = PickSequence(second, 100).Split(' ');
        Assert.Equal(50, picks.Count(n => n == "b"));
        Assert.Equal(1U, StatsReportBuilder.Build(ModelOf(second), Time).Rows.Single(r => r.Svname == "b").Weight);
    }

    [Fact]
    public void StaticRr_WeightZeroThenBack_RestoresTheInitialWeight()
    {
        var first = Build(StaticRr(Server("a", 1, weight: 1), Server("b", 2, weight: 2)));
        var drained = Build(StaticRr(Server("a", 1, weight: 1), Server("b", 2, weight: 0)), ModelOf(first));
        Assert.Equal("a a a", PickSequence(drained, 3));

        var back = Build(StaticRr(Server("a", 1, weight: 1), Server("b", 2, weight: 7)), ModelOf(drained));

        Assert.Equal(2, back.Servers[1].Weight); // 100% of the initial weight, not 7
        var picks = PickSequence(back, 90).Split(' ');
        Assert.Equal(60, picks.Count(n => n == "b"));
    }

    [Fact]
    public void StaticRr_ServerListChanged_TakesTheNewWeights()
    {
        var first = Build(StaticRr(Server("a", 1, weight: 1), Server("b", 2, weight: 1)));

        var second = Build(StaticRr(Server("a", 1, weight: 1), Server("b", 2, weight: 3), Server("c", 3, weight: 1)), ModelOf(first));

        Assert.Equal(3, second.Servers[1].Weight);
    }

    [Fact]
    public void Roundrobin_RuntimeWeightChange_TakesEffect()
    {
        var first = Build(Backend("app", Server("a", 1, weight: 1), Server("b", 2, weight: 1)));

        var second = Build(Backend("app", Server("a", 1, weight: 1), Server("b", 2, weight: 3)), ModelOf(first));

        Assert.Equal(3, second.Servers[1].Weight);
    }

    [Fact]
    public void StaticRr_ServerBackUp_IsReintroducedAtOnceWithItsFullWeight()
    {
        var backend = Build(StaticRr(Server("a", 1, weight: 1, check: true), Server("b", 2, weight: 2, check: true)));
        var health = backend.Servers[1].State.Health;
        for (var i = 0; i < 3; i++)
        {
            health.Report(new CheckResult(CheckStatus.L4Connection, 0, TimeSpan.Zero), 2, 3);
        }

        Assert.Equal("a a a", PickSequence(backend, 3));
        health.Report(new CheckResult(CheckStatus.L4Ok, 0, TimeSpan.Zero), 2, 3);
        health.Report(new CheckResult(CheckStatus.L4Ok, 0, TimeSpan.Zero), 2, 3);

        Assert.Equal(20, PickSequence(backend, 30).Split(' ').Count(n => n == "b"));
    }

    [Fact]
    public void StaticRr_SkipsFullServers_AndExcludedOnes()
    {
        var backend = Build(StaticRr(Server("a", 1, maxconn: 1), Server("b", 2), Server("c", 3)));
        var held = backend.Balancer.Pick()!;
        Assert.Equal("a", held.Name);
        var exclude = default(ServerExclusions);
        exclude.Add(backend.Servers[1]);

        Assert.Equal("c", backend.Balancer.Pick(exclude)!.Name);
    }
}
