using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using static Ballast.DataPlane.Tests.Rules.RuleBuilders;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Rules;

/// <summary>Rate limiting with a frontend stick table, <c>track-sc0</c> and <c>sc_http_req_rate(0)</c>, on a manual clock.</summary>
public sealed class RateLimitingIntegrationTests : RulesIntegrationTestBase
{
    protected override bool UseManualTime => true;

    private async Task<int> StartAsync(V1.StickTableType type, V1.HttpRule track, string fetch, string arg, params string[] patterns)
    {
        var app = await StartBackendAsync("app");
        var port = Ports.GetFreePort();
        var frontend = Frontend("web", "app", port);
        frontend.StickTable = new V1.StickTable { Type = type, Size = 100, ExpireMs = 60_000, HttpReqRatePeriodMs = 10_000, StoreConnCur = true, ConnRatePeriodMs = 10_000 };
        frontend.HttpRequest.Add(track);
        frontend.HttpRequest.Add(new V1.HttpRule
        {
            Action = V1.HttpAction.Deny,
            Status = 429,
            Condition = IfInline(new V1.Acl { Fetch = fetch, FetchArg = arg, Patterns = { patterns } }),
        });
        await ApplyOkAsync(NewConfig([frontend], [Backend("app", Server("a", app.Port))]));
        return port;
    }

    [Fact]
    public async Task TrackSrc_DeniesWith429AboveTheRate_AndPassesAgainAfterThePeriod()
    {
        var port = await StartAsync(V1.StickTableType.Ip, new V1.HttpRule { Action = V1.HttpAction.TrackSc0 }, "sc_http_req_rate", "0", "gt", "5");

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("200 app /", await GetAsync(port, "/"));
        }

        Assert.StartsWith("429 <html><body><h1>429 Too Many Requests</h1>", await GetAsync(port, "/"));

        // Two periods later nothing of the previous window is left (HAProxy freq_ctr).
        Time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal("200 app /", await GetAsync(port, "/"));
    }

    [Fact]
    public async Task SlidingWindow_WeighsThePreviousPeriod()
    {
        var port = await StartAsync(V1.StickTableType.Ip, new V1.HttpRule { Action = V1.HttpAction.TrackSc0 }, "sc0_http_req_rate", "", "ge", "9");
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal("200 app /", await GetAsync(port, "/"));
        }

        // Half-way through the next period: 8 * 1/2 = 4 from the previous period, + 1 now = 5 < 9.
        Time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal("200 app /", await GetAsync(port, "/"));
        Assert.Equal("200 app /", await GetAsync(port, "/"));
        Assert.Equal("200 app /", await GetAsync(port, "/"));
        Assert.Equal("200 app /", await GetAsync(port, "/"));

        // 4 + 5 = 9 ≥ 9: denied.
        Assert.StartsWith("429", await GetAsync(port, "/"));
    }

    [Fact]
    public async Task TrackApiKeyHeader_CountsPerKey()
    {
        var port = await StartAsync(
            V1.StickTableType.String,
            new V1.HttpRule { Action = V1.HttpAction.TrackSc0, Fetch = "req.hdr", FetchArg = "X-Api-Key" },
            "sc_http_req_rate",
            "0",
            "gt",
            "2");

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal("200 app /", await GetAsync(port, "/", r => r.Headers.Add("X-Api-Key", "alice")));
        }

        Assert.StartsWith("429", await GetAsync(port, "/", r => r.Headers.Add("X-Api-Key", "alice")));
        Assert.Equal("200 app /", await GetAsync(port, "/", r => r.Headers.Add("X-Api-Key", "bob")));
        Assert.Equal("200 app /", await GetAsync(port, "/")); // no key: not tracked, sc fetch absent, not denied
    }

    [Fact]
    public async Task SrcHttpReqRate_ReadsWithoutTracking_AndConnCurIsReleased()
    {
        var port = await StartAsync(V1.StickTableType.Ip, new V1.HttpRule { Action = V1.HttpAction.TrackSc0 }, "sc_conn_cur", "0", "gt", "1");

        // Sequential requests: conn_cur is 1 while each one runs, then released.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("200 app /", await GetAsync(port, "/"));
        }

        var frontend = Frontend("web", "app", port);
        frontend.StickTable = new V1.StickTable { Type = V1.StickTableType.Ip, Size = 10, HttpReqRatePeriodMs = 10_000 };
        frontend.HttpRequest.Add(new V1.HttpRule
        {
            Action = V1.HttpAction.Deny,
            Status = 429,
            Condition = IfInline(new V1.Acl { Fetch = "src_http_req_rate", Patterns = { "ge", "0" } }),
        });
        await ApplyOkAsync(NewConfig([frontend], [Backend("app", Server("a", 1))]), 2);
        Assert.StartsWith("429", await GetAsync(port, "/"));
    }
}
