using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using static Ballast.DataPlane.Tests.Rules.RuleBuilders;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Rules;

/// <summary>
/// Issue 5 rate-limiting counters <c>conn_cur</c> and <c>conn_rate</c> of a tracked key (HAProxy
/// <c>http-request track-sc0 src</c> counts one connection per tracked stream), denying with 429 past a threshold.
/// </summary>
public sealed class ConnCountersIntegrationTests : RulesIntegrationTestBase
{
    private async Task<int> StartAsync(int serverPort, string fetch, string threshold)
    {
        var port = Ports.GetFreePort();
        var frontend = Frontend("web", "app", port);
        frontend.StickTable = new V1.StickTable { Type = V1.StickTableType.Ip, Size = 100, ExpireMs = 60_000, StoreConnCur = true, ConnRatePeriodMs = 10_000 };
        frontend.HttpRequest.Add(new V1.HttpRule { Action = V1.HttpAction.TrackSc0 });
        frontend.HttpRequest.Add(new V1.HttpRule
        {
            Action = V1.HttpAction.Deny,
            Status = 429,
            Condition = IfInline(new V1.Acl { Fetch = fetch, FetchArg = "0", Patterns = { "gt", threshold } }),
        });
        await ApplyOkAsync(NewConfig([frontend], [Backend("app", Server("a", serverPort))]));
        return port;
    }

    [Fact]
    public async Task ConnCur_DeniesASecondConcurrentRequestFromTheSameSource_AndIsReleasedAfterwards()
    {
        await using var slow = await TestBackend.StartAsync("slow");
        var port = await StartAsync(slow.Port, "sc_conn_cur", "1");

        var first = GetAsync(port, "/?delayMs=1000");
        Assert.True(await Eventually.WaitAsync(() => slow.Requests == 1, TimeSpan.FromSeconds(5)));
        Assert.StartsWith("429", await GetAsync(port, "/")); // two at once from 127.0.0.1
        Assert.Equal("200 slow", await first);
        Assert.Equal("200 slow", await GetAsync(port, "/")); // released: one at a time again
    }

    [Fact]
    public async Task ConnRate_DeniesPastTheRateOfTrackedConnections()
    {
        var app = await StartBackendAsync("app");
        var port = await StartAsync(app.Port, "sc_conn_rate", "3");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("200 app /", await GetAsync(port, "/", r => r.Headers.ConnectionClose = true));
        }

        Assert.StartsWith("429", await GetAsync(port, "/", r => r.Headers.ConnectionClose = true));
    }
}
