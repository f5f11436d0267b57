using Ballast.ControlPlane.Fleet;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Tests.Fleet;

public sealed class StatsAggregatorTests
{
    private static NodeStats Node(string id, params StatRow[] rows) => new(id, DateTimeOffset.UnixEpoch, 0, 1, rows);

    [Fact]
    public void Sum_AddsCountersPerProxyAndServer_KeepsOrderOfFirstAppearance()
    {
        var rows = StatsAggregator.Sum(
        [
            Node("a",
                new StatRow { Pxname = "web", Svname = "FRONTEND", Type = StatType.Frontend, Scur = 1, Stot = 10, Status = "OPEN" },
                new StatRow { Pxname = "app", Svname = "s1", Type = StatType.Server, Stot = 5, Weight = 1, Lastchg = 30, Status = "UP" }),
            Node("b",
                new StatRow { Pxname = "app", Svname = "s1", Type = StatType.Server, Stot = 7, Weight = 3, Lastchg = 10, Status = "UP" },
                new StatRow { Pxname = "web", Svname = "FRONTEND", Type = StatType.Frontend, Scur = 2, Stot = 20, Status = "OPEN" }),
        ]);

        Assert.Equal([("web", "FRONTEND"), ("app", "s1")], rows.Select(r => (r.Pxname, r.Svname)));
        Assert.Equal((3UL, 30UL, "OPEN"), (rows[0].Scur, rows[0].Stot, rows[0].Status));
        Assert.Equal((12UL, 3u, 10UL, "UP"), (rows[1].Stot, rows[1].Weight, rows[1].Lastchg, rows[1].Status));
    }

    [Fact]
    public void Sum_DisagreeingStatuses_AreJoined()
    {
        var rows = StatsAggregator.Sum(
        [
            Node("a", new StatRow { Pxname = "app", Svname = "s1", Type = StatType.Server, Status = "UP", CheckStatus = "L7OK" }),
            Node("b", new StatRow { Pxname = "app", Svname = "s1", Type = StatType.Server, Status = "DOWN", CheckStatus = "L7OK" }),
        ]);
        Assert.Equal(("UP/DOWN", "L7OK"), (rows[0].Status, rows[0].CheckStatus));
    }

    [Fact]
    public void Sum_AddsRetriesAndQueues_AndWeighsTimersBySessions()
    {
        var rows = StatsAggregator.Sum(
        [
            Node("a", new StatRow { Pxname = "app", Svname = "s1", Type = StatType.Server, Stot = 100, Wretr = 2, Wredis = 1, Qmax = 4, Ttime = 10, Downtime = 5 }),
            Node("b", new StatRow { Pxname = "app", Svname = "s1", Type = StatType.Server, Stot = 300, Wretr = 3, Wredis = 0, Qmax = 1, Ttime = 30, Downtime = 9 }),
        ]);
        Assert.Equal((5UL, 1UL, 5UL, 25UL, 9UL), (rows[0].Wretr, rows[0].Wredis, rows[0].Qmax, rows[0].Ttime, rows[0].Downtime));
    }

    [Fact]
    public void Sum_OfNoNodes_IsEmpty() => Assert.Empty(StatsAggregator.Sum([]));
}
