using Ballast.DataPlane.Config;
using Ballast.DataPlane.Health;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Options;

/// <summary>Issue 5 options: validation (NACK), HAProxy intervals, expectations, retry-on and redispatch schedules.</summary>
public sealed class ServerOptionsTests
{
    private static V1.Config With(Action<V1.Backend> change)
    {
        var backend = Backend("app", Server("a", 8080));
        change(backend);
        return NewConfig([Frontend("web", "app", 8000)], [backend]);
    }

    [Theory]
    [InlineData("retry_on", "unknown retry_on keyword 'sometimes'")]
    [InlineData("except", "invalid forwardfor_except '10.0.0.0/33'")]
    [InlineData("except-without", "forwardfor_except and forwardfor_header need forwardfor")]
    [InlineData("retries", "retries 1000 is out of range")]
    [InlineData("expect", "health check expect status '700' is not a list")]
    [InlineData("rstatus", "is not a valid regular expression")]
    [InlineData("check_port", "invalid check_port 70000")]
    [InlineData("tcp-forwardfor", "forwardfor needs mode http")]
    public void SnapshotValidator_NacksBadOptions(string what, string expected)
    {
        var config = With(b =>
        {
            switch (what)
            {
                case "retry_on": b.RetryOn.Add("sometimes"); break;
                case "except": b.Forwardfor = true; b.ForwardforExcept = "10.0.0.0/33"; break;
                case "except-without": b.ForwardforExcept = "10.0.0.0/8"; break;
                case "retries": b.Retries = 1000; break;
                case "expect": b.WithHttpCheck(1000); b.HealthCheck.ExpectKind = V1.HttpCheckExpect.Status; b.HealthCheck.ExpectValue = "700"; break;
                case "rstatus": b.WithHttpCheck(1000); b.HealthCheck.ExpectKind = V1.HttpCheckExpect.Rstatus; b.HealthCheck.ExpectValue = "(["; break;
                case "check_port": b.Servers[0].CheckPort = 70000; break;
                case "tcp-forwardfor": b.Forwardfor = true; b.Mode = V1.Mode.Tcp; break;
            }
        });
        if (what == "tcp-forwardfor")
        {
            config.Frontends[0].Mode = V1.Mode.Tcp;
        }

        var errors = SnapshotValidator.Validate(config);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal) && e.StartsWith("backend 'app'", StringComparison.Ordinal));
    }

    [Fact]
    public void SnapshotValidator_AcceptsValidOptions()
    {
        var config = With(b =>
        {
            b.Allbackups = true;
            b.TimeoutQueueMs = 1000;
            b.Retries = 0;
            b.RetryOn.Add("conn-failure");
            b.RetryOn.Add("503");
            b.Redispatch = -1;
            b.Forwardfor = true;
            b.ForwardforExcept = "10.1.2.3/255.0.0.0";
            b.ForwardforHeader = "X-Client";
            b.WithHttpCheck(1000);
            b.HealthCheck.ExpectKind = V1.HttpCheckExpect.Status;
            b.HealthCheck.ExpectValue = "200,301-302";
            b.HealthCheck.FastinterMs = 100;
            b.HealthCheck.DowninterMs = 5000;
            b.Servers[0].Backup = true;
            b.Servers[0].SlowstartMs = 10000;
            b.Servers[0].CheckPort = 8008;
            b.Servers[0].CheckAddr = "127.0.0.2";
        });

        Assert.Empty(SnapshotValidator.Validate(config));
        var options = BackendOptions.From(config.Backends[0]);
        Assert.Equal(0, options.Retries);
        Assert.Equal(RetryOn.ConnectionFailure | RetryOn.Status, options.RetryOn);
        Assert.True(options.ForwardFor!.AppliesTo(System.Net.IPAddress.Parse("11.0.0.1")));
        Assert.False(options.ForwardFor.AppliesTo(System.Net.IPAddress.Parse("10.9.9.9")));
    }

    [Fact]
    public void Interval_FollowsHaproxySrvGetinter()
    {
        var settings = RuntimeModelBuilder.ToSettings(new V1.HealthCheck { InterMs = 2000, FastinterMs = 100, DowninterMs = 5000, Rise = 2, Fall = 3 })
            .ForServer(new V1.HealthCheck { InterMs = 2000, FastinterMs = 100, DowninterMs = 5000, Rise = 2, Fall = 3 }, new V1.Server());
        Assert.Equal(TimeSpan.FromMilliseconds(2000), settings.IntervalFor(4)); // fully UP
        Assert.Equal(TimeSpan.FromMilliseconds(100), settings.IntervalFor(3)); // UP, failing
        Assert.Equal(TimeSpan.FromMilliseconds(100), settings.IntervalFor(1)); // DOWN, recovering
        Assert.Equal(TimeSpan.FromMilliseconds(5000), settings.IntervalFor(0)); // fully DOWN

        var defaults = RuntimeModelBuilder.ToSettings(new V1.HealthCheck { InterMs = 1500 });
        Assert.Equal(TimeSpan.FromMilliseconds(1500), defaults.IntervalFor(0));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), defaults.IntervalFor(2));
    }

    [Theory]
    [InlineData("200", 200, true)]
    [InlineData("200", 201, false)]
    [InlineData("200,301-302", 302, true)]
    [InlineData("200,301-302", 303, false)]
    public void ExpectStatus_ListsAndRanges(string codes, int status, bool expected) =>
        Assert.Equal(expected, HttpCheckExpectations.StatusMatches(codes, status));

    [Fact]
    public void ExpectRstatus_MatchesTheCode()
    {
        Assert.True(HttpCheckExpectations.RegexMatches("^2[0-9][0-9]$", 204));
        Assert.False(HttpCheckExpectations.RegexMatches("^2", 503));
    }

    [Theory]
    [InlineData(1, 3, 1, true)]
    [InlineData(1, 3, 2, true)]
    [InlineData(0, 3, 1, false)]
    [InlineData(-1, 3, 1, false)]
    [InlineData(-1, 3, 3, true)] // HAProxy's `option redispatch` alone: on the last retry
    [InlineData(2, 3, 1, false)]
    [InlineData(2, 3, 2, true)]
    public void Redispatch_Interval(int interval, int retries, int retry, bool expected) =>
        Assert.Equal(expected, new BackendOptions { Redispatch = interval }.RedispatchesOn(retry, retries));

    [Fact]
    public void RetryOn_DefaultIsConnFailure_AllRetryableErrorsExpands()
    {
        Assert.Equal(RetryOn.ConnectionFailure, RetryOnParser.Parse([], out _).Flags);
        var (flags, statuses) = RetryOnParser.Parse(["all-retryable-errors"], out var error);
        Assert.Null(error);
        Assert.Equal(RetryOn.ConnectionFailure | RetryOn.EmptyResponse | RetryOn.ResponseTimeout | RetryOn.Status, flags);
        Assert.Equal(new[] { 500, 502, 503, 504 }, statuses.ToArray());
        Assert.Equal(RetryOn.None, RetryOnParser.Parse(["none"], out _).Flags);
    }

    [Fact]
    public async Task Probe_ExpectKinds_GiveHaproxyCheckStatuses()
    {
        await using var backend = await TestBackend.StartAsync("svc");
        var probe = new SocketHealthProbe(TimeProvider.System);
        var basic = RuntimeModelBuilder.ToSettings(new V1.HealthCheck { Type = V1.HealthCheckType.HealthCheckHttp, HttpMethod = "GET", HttpPath = "/x" }) with { Timeout = TimeSpan.FromSeconds(15) };

        var ok = await probe.CheckAsync("127.0.0.1", backend.Port, basic with { Expect = V1.HttpCheckExpect.String, ExpectValue = "svc" }, CancellationToken.None);
        Assert.Equal(CheckStatus.L7Ok, ok.Status);
        var body = await probe.CheckAsync("127.0.0.1", backend.Port, basic with { Expect = V1.HttpCheckExpect.String, ExpectValue = "nope" }, CancellationToken.None);
        Assert.Equal(CheckStatus.L7Response, body.Status);
        var status = await probe.CheckAsync("127.0.0.1", backend.Port, basic with { Expect = V1.HttpCheckExpect.Status, ExpectValue = "201-299" }, CancellationToken.None);
        Assert.Equal(CheckStatus.L7Status, status.Status);
        Assert.Equal(200, status.Code);
        var rstatus = await probe.CheckAsync("127.0.0.1", backend.Port, basic with { Expect = V1.HttpCheckExpect.Rstatus, ExpectValue = "^20" }, CancellationToken.None);
        Assert.Equal(CheckStatus.L7Ok, rstatus.Status);
        var refused = await probe.CheckAsync("127.0.0.1", Ports.GetClosedPort(), basic, CancellationToken.None);
        Assert.Equal(CheckStatus.L4Connection, refused.Status);
    }
}
