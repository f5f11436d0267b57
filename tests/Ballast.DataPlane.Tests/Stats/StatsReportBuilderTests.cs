using Ballast.DataPlane.Config;
using Ballast.DataPlane.Health;
using Ballast.DataPlane.Stats;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Stats;

public class StatsReportBuilderTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void Build_RowsInHaproxyOrderWithStatuses()
    {
        var frontend = Frontend("web", "app", 8080);
        frontend.Maxconn = 100;
        var model = RuntimeModelBuilder.Build(3, NewConfig(
            [frontend],
            [Backend(
                "app",
                Server("up", 1, check: true, maxconn: 5),
                Server("down", 2, check: true),
                Server("drain", 3, state: V1.ServerState.Drain),
                Server("maint", 4, state: V1.ServerState.Maint),
                Server("zero", 5, weight: 0),
                Server("nocheck", 6, weight: 7))]), RuntimeModel.Empty, _time);
        var down = model.Backends[0].Servers[1].State.Health;
        for (var i = 0; i < 3; i++)
        {
            down.Report(new CheckResult(CheckStatus.L4Timeout, 0, TimeSpan.FromMilliseconds(2000)), 2, 3);
        }

        _time.Advance(TimeSpan.FromSeconds(42));
        var report = StatsReportBuilder.Build(model, _time);

        Assert.Equal(3UL, report.AppliedVersion);
        Assert.Equal(_time.GetUtcNow().ToUnixTimeMilliseconds(), report.TimestampMs);
        Assert.Equal(
            ["web/FRONTEND", "app/up", "app/down", "app/drain", "app/maint", "app/zero", "app/nocheck", "app/BACKEND"],
            report.Rows.Select(r => $"{r.Pxname}/{r.Svname}"));
        var rows = report.Rows.ToDictionary(r => r.Svname);
        Assert.Equal("OPEN", rows["FRONTEND"].Status);
        Assert.Equal(100UL, rows["FRONTEND"].Slim);
        Assert.Equal("UP", rows["up"].Status);
        Assert.Equal("INI", rows["up"].CheckStatus);
        Assert.Equal(5UL, rows["up"].Slim);
        Assert.Equal("DOWN", rows["down"].Status);
        Assert.Equal("L4TOUT", rows["down"].CheckStatus);
        Assert.Equal(2000UL, rows["down"].CheckDuration);
        Assert.Equal(1UL, rows["down"].Chkdown);
        Assert.Equal(3UL, rows["down"].Chkfail);
        Assert.Equal(42UL, rows["down"].Lastchg);
        Assert.Equal("DRAIN", rows["drain"].Status);
        Assert.Equal("MAINT", rows["maint"].Status);
        Assert.Equal("DRAIN", rows["zero"].Status);
        Assert.Equal("no check", rows["nocheck"].Status);
        Assert.Equal(string.Empty, rows["nocheck"].CheckStatus);
        Assert.Equal(7U, rows["nocheck"].Weight);
        Assert.Equal(1U, rows["nocheck"].Act);
        Assert.Equal("UP", rows["BACKEND"].Status);
        Assert.Equal(2U, rows["BACKEND"].Act);
        Assert.Equal(8U, rows["BACKEND"].Weight);
        Assert.Equal(V1.StatType.Backend, rows["BACKEND"].Type);
    }

    [Fact]
    public void Sample_ComputesPerSecondRateAndMax()
    {
        var model = RuntimeModelBuilder.Build(1, NewConfig([Frontend("web", "", 8080)], []), RuntimeModel.Empty, _time);
        var counters = model.Frontends[0].Counters;
        for (var i = 0; i < 5; i++)
        {
            counters.OpenSession();
        }

        StatsSampler.Sample(model, 0);
        counters.OpenSession();
        StatsSampler.Sample(model, 1000);

        Assert.Equal(1, counters.Rate);
        Assert.Equal(5, counters.RateMax);
        Assert.Equal(6, counters.Stot);
        Assert.Equal(6, counters.Scur);
        Assert.Equal(6, counters.Smax);
    }

    [Fact]
    public void Counters_CountResponsesByClass()
    {
        var counters = new StatCounters();
        foreach (var status in new[] { 101, 200, 204, 302, 404, 503, 600 })
        {
            counters.CountResponse(status);
        }

        Assert.Equal((1, 2, 1, 1, 1, 1), (counters.Hrsp1xx, counters.Hrsp2xx, counters.Hrsp3xx, counters.Hrsp4xx, counters.Hrsp5xx, counters.HrspOther));
    }

    [Fact]
    public void Counters_TryOpenSession_HonoursLimit()
    {
        var counters = new StatCounters();

        Assert.True(counters.TryOpenSession(2));
        Assert.True(counters.TryOpenSession(2));
        Assert.False(counters.TryOpenSession(2));
        counters.CloseSession();
        Assert.True(counters.TryOpenSession(2));
        Assert.Equal(3, counters.Stot);
        Assert.Equal(2, counters.Smax);
    }
}
