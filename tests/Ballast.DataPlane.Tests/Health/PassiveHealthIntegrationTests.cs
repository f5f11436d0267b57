using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Health;

/// <summary>
/// Passive health under real traffic: with <c>inter 60s</c> only the first active check runs during a test, so a
/// server marked DOWN within it was marked by <c>observe</c> + <c>on-error</c>.
/// </summary>
public sealed class PassiveHealthIntegrationTests : ProxyEngineTestBase
{
    private static V1.Server Observed(string name, int port, V1.Observe observe, uint limit, V1.OnError onError)
    {
        var server = Server(name, port, check: true);
        server.Observe = observe;
        server.ErrorLimit = limit;
        server.OnError = onError;
        return server;
    }

    [Fact]
    public async Task Layer7_MarkDown_TakesAServerAnswering500OutOfRotation_BeforeAnyActiveCheck()
    {
        var bad = await StartBackendAsync("bad");
        var good = await StartBackendAsync("good");
        bad.ForcedStatus = 500; // /health still answers 200: the active check keeps passing
        var port = Ports.GetFreePort();
        var backend = Backend("app", Observed("bad", bad.Port, V1.Observe.Layer7, 3, V1.OnError.MarkDown), Server("good", good.Port, check: true))
            .WithHttpCheck(interMs: 60_000);
        backend.Balance = V1.Balance.Roundrobin;
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [backend]));
        await Eventually.WaitAsync(() => bad.HealthChecks >= 1, TimeSpan.FromSeconds(10));

        for (var i = 0; i < 10; i++)
        {
            await GetAsync(port);
        }

        var row = Row("app", "bad");
        Assert.Equal("DOWN", row.Status);
        Assert.Equal("HANA", row.CheckStatus);
        Assert.Equal((1ul, 1ul, 1ul), (row.Hanafail, row.Chkfail, row.Chkdown));
        Assert.Equal(3, bad.Requests); // three 500s reached the limit; then only "good" was used
        Assert.Equal(1, bad.HealthChecks); // no active check explains it
        Assert.Equal("200 good", await GetAsync(port));
        Assert.False(Row("app", "good").HasHanafail); // hanafail only for observed servers
        Assert.Contains(",HANA,", Ballast.DataPlane.Stats.StatsCsvWriter.Write(Node.Engine.CreateStatsReport()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Layer7_ValidStatuses_KeepTheServerUp()
    {
        var backendServer = await StartBackendAsync("s");
        var port = Ports.GetFreePort();
        var backend = Backend("app", Observed("s", backendServer.Port, V1.Observe.Layer7, 2, V1.OnError.MarkDown)).WithHttpCheck(interMs: 60_000);
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [backend]));
        foreach (var status in new[] { 404, 501, 505, 500, 200, 503, 404 })
        {
            await GetAsync(port, $"/?status={status}");
        }

        Assert.Equal("UP", Row("app", "s").Status); // 500 and 503 were never consecutive
        Assert.Equal(0ul, Row("app", "s").Hanafail);
    }

    [Fact]
    public async Task Layer4_MarkDown_ModeTcpServerRefusingConnections_IsMarkedDownByTraffic()
    {
        var good = Track(TestTcpServer.Echo());
        var closed = Ports.GetClosedPort();
        var port = Ports.GetFreePort();
        var backend = Backend("db", Observed("dead", closed, V1.Observe.Layer4, 2, V1.OnError.MarkDown), Server("live", good.Port, check: true));
        backend.Mode = V1.Mode.Tcp;
        backend.HealthCheck = new V1.HealthCheck { Type = V1.HealthCheckType.HealthCheckTcp, InterMs = 60_000, Rise = 2, Fall = 3 };
        var frontend = Frontend("front", "db", port);
        frontend.Mode = V1.Mode.Tcp;
        await ApplyOkAsync(1, NewConfig([frontend], [backend]));
        await Eventually.WaitAsync(() => Row("db", "dead").CheckStatus == "L4CON", TimeSpan.FromSeconds(10)); // first active check failed: still UP (fall 3)
        Assert.Equal("UP", Row("db", "dead").Status);

        for (var i = 0; i < 4; i++)
        {
            using var client = new System.Net.Sockets.TcpClient();
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
            await client.GetStream().WriteAsync("x"u8.ToArray());
            var buffer = new byte[1];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            _ = await client.GetStream().ReadAsync(buffer, timeout.Token);
        }

        var row = Row("db", "dead");
        Assert.True(row.Status == "DOWN", row.ToString());
        Assert.Equal("HANA", row.CheckStatus);
        Assert.Equal(1ul, row.Hanafail);
    }
}
