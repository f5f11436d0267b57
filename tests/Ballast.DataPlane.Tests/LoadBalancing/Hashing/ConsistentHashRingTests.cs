using Ballast.DataPlane.Config;
using Ballast.DataPlane.LoadBalancing;
using Ballast.DataPlane.LoadBalancing.Hashing;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.LoadBalancing.Hashing;

public class ConsistentHashRingTests
{
    private static readonly ManualTimeProvider Time = new();

    private static BackendRuntime Build(V1.Backend backend) =>
        RuntimeModelBuilder.Build(1, NewConfig([], [backend]), RuntimeModel.Empty, Time).Backends[0];

    [Fact]
    public void Build_SixteenPointsPerUnitOfWeight_OnlyForUsableServers()
    {
        var backend = Build(Backend("app", Server("a", 1, weight: 1), Server("b", 2, weight: 3), Server("m", 3, state: V1.ServerState.Maint)));

        Assert.Equal(16 + 48, ConsistentHashRing.Build(backend.Servers).Count);
    }

    [Fact]
    public void Lookup_PointKeysDependOnServerIdsOnly()
    {
        var first = Build(Backend("app", Server("a", 1), Server("b", 2)));
        var renamed = Build(Backend("app", Server("x", 7), Server("y", 8)));
        var ring = ConsistentHashRing.Build(first.Servers);
        var same = ConsistentHashRing.Build(renamed.Servers);

        for (uint hash = 0; hash < 4_000_000_000; hash += 40_000_000)
        {
            Assert.Equal(first.Servers.IndexOf(ring.Lookup(hash, default)!), renamed.Servers.IndexOf(same.Lookup(hash, default)!));
        }
    }

    [Fact]
    public void Lookup_PointOfAServerIsFullHashOfIdTimes4096PlusIndex()
    {
        var backend = Build(Backend("app", Server("a", 1), Server("b", 2)));
        var ring = ConsistentHashRing.Build(backend.Servers);

        // The hash of a point is at distance 0 from it: it must resolve to the point's owner.
        Assert.Equal("a", ring.Lookup(HaproxyHash.FullHash((1 * 4096) + 5), default)!.Name);
        Assert.Equal("b", ring.Lookup(HaproxyHash.FullHash((2 * 4096) + 15), default)!.Name);
    }

    [Fact]
    public void Lookup_ServerGoingDown_OnlyItsKeysMove()
    {
        var all = Build(Backend("app", Server("a", 1), Server("b", 2), Server("c", 3)));
        var withoutB = Build(Backend("app", Server("a", 1), Server("b", 2, state: V1.ServerState.Maint), Server("c", 3)));
        var ring = ConsistentHashRing.Build(all.Servers);
        var reduced = ConsistentHashRing.Build(withoutB.Servers);

        var moved = 0;
        for (uint hash = 0; hash < 4_200_000_000; hash += 7_000_000)
        {
            var before = ring.Lookup(hash, default)!.Name;
            var after = reduced.Lookup(hash, default)!.Name;
            if (before != "b")
            {
                Assert.Equal(before, after);
            }
            else
            {
                moved++;
                Assert.NotEqual("b", after);
            }
        }

        Assert.True(moved > 0);
    }

    [Fact]
    public void Lookup_ExcludedServer_PassesToTheNextServerOnTheRing()
    {
        var backend = Build(Backend("app", Server("a", 1), Server("b", 2), Server("c", 3)));
        var ring = ConsistentHashRing.Build(backend.Servers);
        for (uint hash = 0; hash < 4_000_000_000; hash += 100_000_000)
        {
            var chosen = ring.Lookup(hash, default)!;
            var exclude = default(ServerExclusions);
            exclude.Add(chosen);

            var next = ring.Lookup(hash, exclude)!;

            Assert.NotSame(chosen, next);
        }
    }

    [Fact]
    public void Lookup_EveryServerExcluded_StillAnswers()
    {
        var backend = Build(Backend("app", Server("a", 1)));
        var ring = ConsistentHashRing.Build(backend.Servers);
        var exclude = default(ServerExclusions);
        exclude.Add(backend.Servers[0]);

        Assert.Same(backend.Servers[0], ring.Lookup(12345, exclude));
    }
}
