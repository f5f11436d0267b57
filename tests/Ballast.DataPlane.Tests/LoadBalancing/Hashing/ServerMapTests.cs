using Ballast.DataPlane.Config;
using Ballast.DataPlane.LoadBalancing;
using Ballast.DataPlane.LoadBalancing.Hashing;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.LoadBalancing.Hashing;

public class ServerMapTests
{
    private static readonly ManualTimeProvider Time = new();

    private static BackendRuntime Build(V1.Backend backend) =>
        RuntimeModelBuilder.Build(1, NewConfig([], [backend]), RuntimeModel.Empty, Time).Backends[0];

    [Fact]
    public void Recalc_WeightsThreeToOne_FillsLikeHaproxy()
    {
        // recalc_server_map(): scores (score + total) / total with C integer division; ties go to the first server.
        Assert.Equal([0, 0, 0, 1], ServerMap.Recalc([3, 1], 4));
    }

    [Fact]
    public void Recalc_EachServerGetsItsWeightInSlots()
    {
        var slots = ServerMap.Recalc([5, 1, 3, 2, 4], 15);

        Assert.Equal(15, slots.Length);
        Assert.Equal([5, 1, 3, 2, 4], Enumerable.Range(0, 5).Select(i => slots.Count(s => s == i)).ToArray());
    }

    [Fact]
    public void Build_DividesWeightsByTheirGcdAndSkipsUnusableServers()
    {
        var backend = Build(Backend(
            "app",
            Server("a", 1, weight: 4),
            Server("b", 2, weight: 8),
            Server("zero", 3, weight: 0),
            Server("maint", 4, weight: 4, state: V1.ServerState.Maint)));

        var map = ServerMap.Build(backend.Servers);

        Assert.Equal(3, map.Slots.Length); // 4 and 8 over gcd 4
        Assert.Equal(1, map.Slots.ToArray().Count(s => s == 0));
        Assert.Equal(2, map.Slots.ToArray().Count(s => s == 1));
    }

    [Fact]
    public void Lookup_IsHashModuloTotalWeight_AndIgnoresExclusions()
    {
        var backend = Build(Backend("app", Server("a", 1), Server("b", 2), Server("c", 3)));
        var map = ServerMap.Build(backend.Servers);
        var exclude = default(ServerExclusions);
        exclude.Add(backend.Servers[1]);

        Assert.Equal("a b c", string.Join(" ", map.Slots.ToArray().Select(i => backend.Servers[i].Name)));
        Assert.Equal("a", map.Lookup(0, default)!.Name);
        Assert.Equal("b", map.Lookup(4, default)!.Name);
        Assert.Equal("c", map.Lookup(5, default)!.Name);
        Assert.Equal("a", map.Lookup(uint.MaxValue, default)!.Name); // 4294967295 % 3 == 0
        Assert.Equal("b", map.Lookup(7, exclude)!.Name); // HAProxy's map has no "avoid": a redispatch gets b again
    }

    [Fact]
    public void NextRoundRobin_WalksTheSlots_SkippingFullServers()
    {
        var backend = Build(Backend("app", Server("a", 1, weight: 3, maxconn: 1), Server("b", 2, weight: 1)));
        var map = ServerMap.Build(backend.Servers);
        var position = new RoundRobinPosition();

        var held = map.NextRoundRobin(position, default)!; // slot 0: a, now full
        Assert.Equal("a", held.Name);
        var next = map.NextRoundRobin(position, default)!; // slot 1: a is full, b
        Assert.Equal("b", next.Name);
        next.Release();
        held.Release();
        Assert.Equal("a", map.NextRoundRobin(position, default)!.Name); // slot 2
    }
}
