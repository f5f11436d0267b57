using Ballast.DataPlane.Config;
using Ballast.DataPlane.Health;
using Ballast.DataPlane.LoadBalancing;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.LoadBalancing;

public class RoundRobinBalancerTests
{
    private static readonly ManualTimeProvider Time = new();

    private static BackendRuntime Build(V1.Backend backend, RuntimeModel? previous = null) =>
        RuntimeModelBuilder.Build(1, NewConfig([], [backend]), previous ?? RuntimeModel.Empty, Time).Backends[0];

    private static string PickSequence(BackendRuntime backend, int count)
    {
        var names = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var server = backend.Balancer.Pick();
            names.Add(server?.Name ?? "-");
            server?.Release();
        }

        return string.Join(" ", names);
    }

    [Fact]
    public void Roundrobin_PickAndRelease_AllocateNothingOnceWarm()
    {
        // A pick runs on every request: it must not feed the GC (a SortedSet-based tree allocated a node per pick).
        var backend = Build(Backend("app", Server("a", 1, weight: 3), Server("b", 2, weight: 2), Server("c", 3)));
        for (var i = 0; i < 1000; i++)
        {
            backend.Balancer.Pick()!.Release();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            backend.Balancer.Pick()!.Release();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Roundrobin_EqualWeights_Rotates()
    {
        var backend = Build(Backend("app", Server("a", 1), Server("b", 2), Server("c", 3)));

        Assert.Equal("a b c a b c", PickSequence(backend, 6));
    }

    [Fact]
    public void Roundrobin_SpreadsByWeightInterleaved()
    {
        var backend = Build(Backend("app", Server("a", 1, weight: 5), Server("b", 2, weight: 1), Server("c", 3, weight: 1)));

        // HAProxy 2.6's fwrr order (checked against /usr/sbin/haproxy, see RoundRobinDifferentialTests).
        Assert.Equal("a a a b a a c a a a b a a c", PickSequence(backend, 14));
    }

    [Fact]
    public void Roundrobin_SpreadsByWeightProportionally()
    {
        var backend = Build(Backend("app", Server("a", 1, weight: 3), Server("b", 2, weight: 1)));

        var sequence = PickSequence(backend, 400).Split(' ');

        Assert.Equal(300, sequence.Count(n => n == "a"));
        Assert.Equal(100, sequence.Count(n => n == "b"));
        Assert.Equal("a a a b", string.Join(" ", sequence.Take(4))); // HAProxy's order
    }

    [Fact]
    public void Roundrobin_SkipsServerMarkedDown()
    {
        var backend = Build(Backend("app", Server("a", 1, check: true), Server("b", 2, check: true)));
        var a = backend.Servers[0];
        for (var i = 0; i < 3; i++)
        {
            a.State.Health.Report(new CheckResult(CheckStatus.L4Connection, 0, TimeSpan.Zero), 2, 3);
        }

        Assert.False(a.IsUsable);
        Assert.Equal("b b b b", PickSequence(backend, 4));
    }

    [Fact]
    public void Roundrobin_ServerBackUp_RejoinsRotation()
    {
        var backend = Build(Backend("app", Server("a", 1, check: true), Server("b", 2, check: true)));
        var health = backend.Servers[0].State.Health;
        for (var i = 0; i < 3; i++)
        {
            health.Report(new CheckResult(CheckStatus.L4Connection, 0, TimeSpan.Zero), 2, 3);
        }

        Assert.Equal("b b", PickSequence(backend, 2));
        health.Report(new CheckResult(CheckStatus.L4Ok, 0, TimeSpan.Zero), 2, 3);
        health.Report(new CheckResult(CheckStatus.L4Ok, 0, TimeSpan.Zero), 2, 3);

        Assert.Equal(2, PickSequence(backend, 4).Split(' ').Count(n => n == "a"));
    }

    [Fact]
    public void Roundrobin_SkipsDrainMaintAndWeightZero()
    {
        var backend = Build(Backend(
            "app",
            Server("ready", 1),
            Server("drain", 2, state: V1.ServerState.Drain),
            Server("maint", 3, state: V1.ServerState.Maint),
            Server("zero", 4, weight: 0)));

        Assert.Equal("ready ready ready", PickSequence(backend, 3));
    }

    [Fact]
    public void Roundrobin_NoUsableServer_ReturnsNull()
    {
        var backend = Build(Backend("app", Server("drain", 2, state: V1.ServerState.Drain), Server("zero", 4, weight: 0)));

        Assert.Null(backend.Balancer.Pick());
    }

    [Fact]
    public void Roundrobin_WeightChange_FollowsNewWeights()
    {
        var first = Build(Backend("app", Server("a", 1, weight: 1), Server("b", 2, weight: 1)));
        var previous = new RuntimeModel(1, new V1.Config(), [], [first]);

        var second = Build(Backend("app", Server("a", 1, weight: 1), Server("b", 2, weight: 3)), previous);

        var picks = PickSequence(second, 400).Split(' ');
        Assert.Equal(100, picks.Count(n => n == "a"));
        Assert.Equal(300, picks.Count(n => n == "b"));
    }

    [Fact]
    public void Roundrobin_ServerSetUnchanged_KeepsPositionAcrossSnapshots()
    {
        var first = Build(Backend("app", Server("a", 1), Server("b", 2), Server("c", 3)));
        Assert.Equal("a", PickSequence(first, 1));
        var previous = new RuntimeModel(1, new V1.Config(), [], [first]);

        var second = Build(Backend("app", Server("a", 1), Server("b", 2), Server("c", 3)), previous);

        Assert.Equal("b c a", PickSequence(second, 3));
    }

    [Fact]
    public void Roundrobin_ServerSetChanged_RestartsCycle()
    {
        var first = Build(Backend("app", Server("a", 1), Server("b", 2)));
        Assert.Equal("a", PickSequence(first, 1));
        var previous = new RuntimeModel(1, new V1.Config(), [], [first]);

        var second = Build(Backend("app", Server("a", 1), Server("b", 2), Server("c", 3)), previous);

        Assert.Equal("a b c", PickSequence(second, 3));
    }

    [Fact]
    public void Roundrobin_SkipsServerAtMaxconn()
    {
        var backend = Build(Backend("app", Server("a", 1, maxconn: 1), Server("b", 2)));
        var held = backend.Balancer.Pick();
        Assert.Equal("a", held!.Name);

        // a is full: every pick goes to b until a's request ends.
        var b1 = backend.Balancer.Pick();
        var b2 = backend.Balancer.Pick();
        Assert.Equal("b", b1!.Name);
        Assert.Equal("b", b2!.Name);
        held.Release();
        b1.Release();
        b2.Release();

        Assert.Contains("a", PickSequence(backend, 2));
    }

    [Fact]
    public void Roundrobin_AllServersFull_ReturnsNull()
    {
        var backend = Build(Backend("app", Server("a", 1, maxconn: 1), Server("b", 2, maxconn: 1)));
        var a = backend.Balancer.Pick();
        var b = backend.Balancer.Pick();

        Assert.NotNull(a);
        Assert.NotNull(b);
        Assert.Null(backend.Balancer.Pick());
        a.Release();
        Assert.Same(a, backend.Balancer.Pick());
    }

    [Fact]
    public void Roundrobin_SkipsExcludedServers()
    {
        var backend = Build(Backend("app", Server("a", 1), Server("b", 2), Server("c", 3)));
        var exclusions = default(ServerExclusions);
        exclusions.Add(backend.Servers[0]);
        exclusions.Add(backend.Servers[1]);

        for (var i = 0; i < 4; i++)
        {
            var server = backend.Balancer.Pick(exclusions);
            Assert.Equal("c", server!.Name);
            server.Release();
        }
    }

    [Fact]
    public void Roundrobin_CountsSessionsPerServer()
    {
        var backend = Build(Backend("app", Server("a", 1)));
        var server = backend.Balancer.Pick()!;

        Assert.Equal(1, server.State.Counters.Scur);
        server.Release();
        Assert.Equal(0, server.State.Counters.Scur);
        Assert.Equal(1, server.State.Counters.Stot);
        Assert.Equal(1, server.State.Counters.Smax);
    }
}
