using Ballast.DataPlane.Config;
using Ballast.DataPlane.LoadBalancing;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using static Ballast.DataPlane.Tests.LoadBalancing.BalancerTestKit;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.LoadBalancing;

public class RandomBalancerTests
{
    private static (RandomBalancer Balancer, BackendRuntime Backend) Create(int draws, params V1.Server[] servers)
    {
        var backend = Build(V1.Balance.Random, servers);
        return (new RandomBalancer(draws, backend.Servers, backend.State, new Random(1234)), backend);
    }

    private static Dictionary<string, int> Count(RandomBalancer balancer, int picks)
    {
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < picks; i++)
        {
            var server = balancer.Pick()!;
            counts[server.Name] = counts.GetValueOrDefault(server.Name) + 1;
            server.Release();
        }

        return counts;
    }

    [Fact]
    public void Random_DefaultIsTwoDraws()
    {
        var backend = Build(V1.Balance.Random, Server("a", 1));

        Assert.IsType<RandomBalancer>(backend.Balancer);
        Assert.Equal(2, backend.Settings.Draws);
    }

    [Fact]
    public void Random_OneDraw_RespectsWeightsThroughTheRing()
    {
        var (balancer, _) = Create(1, Server("a", 1, weight: 1), Server("b", 2, weight: 3));

        var counts = Count(balancer, 4000);

        // The ring gives b about three quarters of the keys (consistent hashing is not exact).
        Assert.InRange(counts["b"] / 4000.0, 0.6, 0.9);
    }

    [Fact]
    public void Random_TwoDraws_AvoidsTheLoadedServer()
    {
        var (balancer, backend) = Create(2, Server("a", 1), Server("b", 2));
        var busy = backend.Servers[0];
        for (var i = 0; i < 5; i++)
        {
            Assert.True(busy.TryAcquire());
        }

        var counts = Count(balancer, 2000);

        // a wins only when both draws land on it (about a quarter of the time).
        Assert.InRange(counts.GetValueOrDefault("a") / 2000.0, 0.1, 0.4);
    }

    [Fact]
    public void Random_ManyDraws_ConvergesToLeastLoaded()
    {
        var (balancer, backend) = Create(12, Server("a", 1), Server("b", 2), Server("c", 3));
        backend.Servers[0].TryAcquire();
        backend.Servers[1].TryAcquire();

        var counts = Count(balancer, 300);

        Assert.True(counts.GetValueOrDefault("c") > 290, $"c got {counts.GetValueOrDefault("c")}");
    }

    [Fact]
    public void Random_DrawnServerFull_TakesAnotherServer()
    {
        var (balancer, backend) = Create(1, Server("a", 1, maxconn: 1), Server("b", 2, maxconn: 1));
        var first = balancer.Pick()!;

        var second = balancer.Pick()!;

        Assert.NotSame(first, second);
        Assert.Null(balancer.Pick());
        Assert.Equal(2, backend.Servers.Sum(s => s.State.Counters.Scur));
    }
}
