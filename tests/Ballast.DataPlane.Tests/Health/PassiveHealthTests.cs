using Ballast.DataPlane.Config;
using Ballast.DataPlane.Health;
using Ballast.DataPlane.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Health;

/// <summary>HAProxy <c>observe</c> / <c>error-limit</c> / <c>on-error</c> on the check state machine (src/check.c <c>__health_adjust</c>).</summary>
public sealed class PassiveHealthTests
{
    private readonly ManualTimeProvider _time = new();

    private static HealthCheckSettings Check(int rise = 2, int fall = 3, int fastinterMs = 0) =>
        new HealthCheckSettings(HealthCheckKind.Tcp, "GET", "/", 0, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), rise, fall)
        {
            FastInter = TimeSpan.FromMilliseconds(fastinterMs),
        };

    private static PassiveHealthSettings Passive(V1.OnError onError, int limit = 3) => new(V1.Observe.Layer7, limit, onError);

    private ServerHealth NewHealth(HealthCheckSettings check) => new(_time, check.Rise, check.Fall);

    private static void Errors(ServerHealth health, PassiveHealthSettings passive, HealthCheckSettings check, int count)
    {
        for (var i = 0; i < count; i++)
        {
            health.ObserveError(passive, check, "Wrong http response");
        }
    }

    [Fact]
    public void MarkDown_MarksUpServerDownWhenErrorLimitIsReached()
    {
        var check = Check();
        var health = NewHealth(check);
        Errors(health, Passive(V1.OnError.MarkDown), check, 2);
        Assert.True(health.IsUp);
        Assert.Equal(2, health.ConsecutiveErrors);

        Assert.True(health.ObserveError(Passive(V1.OnError.MarkDown), check, "Wrong http response"));
        Assert.False(health.IsUp);
        Assert.Equal(CheckStatus.HealthAnalyze, health.LastStatus);
        Assert.Equal("HANA", health.LastStatus.ToHaproxyName());
        Assert.Equal((1L, 1L, 1L), (health.FailedChecks, health.DownTransitions, health.PassiveFailures));
        Assert.Equal(0, health.ConsecutiveErrors);
    }

    [Fact]
    public void SuddenDeath_LeavesTheServerUp_AndOneMoreFailedCheckMarksItDown()
    {
        var check = Check(rise: 2, fall: 3);
        var health = NewHealth(check);
        Errors(health, Passive(V1.OnError.SuddenDeath), check, 3);
        Assert.True(health.IsUp);
        Assert.Equal(2, health.Health); // rise: one failure from DOWN

        health.Report(new CheckResult(CheckStatus.L7Status, 500, TimeSpan.Zero), check.Rise, check.Fall);
        Assert.False(health.IsUp);
    }

    [Fact]
    public void FailCheck_CountsAsOneFailedCheck()
    {
        var check = Check(rise: 2, fall: 3);
        var health = NewHealth(check);
        Errors(health, Passive(V1.OnError.FailCheck), check, 3);
        Assert.True(health.IsUp);
        Assert.Equal(3, health.Health); // max 4, one failure
        Assert.Equal(1L, health.FailedChecks);
        Errors(health, Passive(V1.OnError.FailCheck), check, 3);
        Assert.True(health.IsUp); // health 2 = rise
        Errors(health, Passive(V1.OnError.FailCheck), check, 3);
        Assert.False(health.IsUp); // the third failed check (fall 3) goes below rise
    }

    [Fact]
    public void Fastinter_OnlyForcesTheNextCheck()
    {
        var check = Check(fastinterMs: 500);
        var health = NewHealth(check);
        Errors(health, Passive(V1.OnError.Fastinter), check, 3);
        Assert.True(health.IsUp);
        Assert.Equal(4, health.Health);
        Assert.Equal(0L, health.FailedChecks);
        Assert.Equal(1L, health.PassiveFailures);
        Assert.True(health.FastInterForced);
        Assert.Equal(TimeSpan.FromMilliseconds(500), PassiveHealthSchedule.IntervalAfterCheck(check, health));
        Assert.False(health.FastInterForced);
        Assert.Equal(TimeSpan.FromSeconds(60), PassiveHealthSchedule.IntervalAfterCheck(check, health));
    }

    [Fact]
    public void ASuccess_ResetsTheConsecutiveErrorCount()
    {
        var check = Check();
        var health = NewHealth(check);
        var passive = Passive(V1.OnError.MarkDown);
        Errors(health, passive, check, 2);
        health.ObserveSuccess();
        Errors(health, passive, check, 2);
        Assert.True(health.IsUp);
        Assert.Equal(0L, health.PassiveFailures);
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(404, true)]
    [InlineData(501, true)]
    [InlineData(505, true)]
    [InlineData(500, false)]
    [InlineData(502, false)]
    [InlineData(503, false)]
    public void Layer7_StatusesBelow500And501And505AreValid(int status, bool valid) =>
        Assert.Equal(valid ? PassiveHealthEvent.HttpOk : PassiveHealthEvent.HttpStatus, PassiveHealthEvents.ForStatus(status));

    [Fact]
    public void Layer4_CountsOnlyConnections_Layer7_AlsoResponses()
    {
        Assert.Equal(PassiveHealthVerdict.Ignore, PassiveHealthEvents.Classify(V1.Observe.Layer4, PassiveHealthEvent.HttpStatus));
        Assert.Equal(PassiveHealthVerdict.Success, PassiveHealthEvents.Classify(V1.Observe.Layer4, PassiveHealthEvent.L4Ok));
        Assert.Equal(PassiveHealthVerdict.Error, PassiveHealthEvents.Classify(V1.Observe.Layer4, PassiveHealthEvent.L4Error));
        Assert.Equal(PassiveHealthVerdict.Ignore, PassiveHealthEvents.Classify(V1.Observe.Layer7, PassiveHealthEvent.L4Ok));
        Assert.Equal(PassiveHealthVerdict.Error, PassiveHealthEvents.Classify(V1.Observe.Layer7, PassiveHealthEvent.L4Error));
        Assert.Equal(PassiveHealthVerdict.Error, PassiveHealthEvents.Classify(V1.Observe.Layer7, PassiveHealthEvent.HttpReadTimeout));
        Assert.Equal(PassiveHealthVerdict.Success, PassiveHealthEvents.Classify(V1.Observe.Layer7, PassiveHealthEvent.HttpOk));
    }

    [Fact]
    public void ServerWithoutCheck_IsNotObserved_AsHaproxy()
    {
        var server = Server("a", 1001, check: false);
        server.Observe = V1.Observe.Layer4;
        server.ErrorLimit = 1;
        server.OnError = V1.OnError.MarkDown;
        var model = RuntimeModelBuilder.Build(1, NewConfig([], [Backend("app", server)]), RuntimeModel.Empty, _time);
        var runtime = model.Backends[0].Servers[0];
        Assert.NotNull(runtime.Passive);
        Assert.False(PassiveHealth.ReportConnect(runtime, connected: false));
        Assert.True(runtime.IsUp);
        Assert.Equal(0, runtime.State.Health.ConsecutiveErrors);
    }

    [Fact]
    public async Task OnError_BringsTheNextCheckForwardToFastinter()
    {
        var probe = new CountingProbe();
        await using var manager = new HealthCheckManager(probe, _time, NullLogger<HealthCheckManager>.Instance);
        var server = Server("a", 1001, check: true);
        server.Observe = V1.Observe.Layer4;
        server.ErrorLimit = 2;
        server.OnError = V1.OnError.Fastinter;
        var backend = Backend("app", server).WithHttpCheck(interMs: 60_000);
        backend.HealthCheck.FastinterMs = 1000;
        var model = RuntimeModelBuilder.Build(1, NewConfig([], [backend]), RuntimeModel.Empty, _time);
        var runtime = model.Backends[0].Servers[0];
        manager.Reconcile(model);
        await _time.WaitForPendingTimersAsync();
        Assert.Equal(1, probe.Calls);

        PassiveHealth.ReportConnect(runtime, connected: false);
        PassiveHealth.ReportConnect(runtime, connected: false);
        Assert.Equal(1L, runtime.State.Health.PassiveFailures);
        await Task.Delay(200); // let the loop re-arm its pause at fastinter
        await _time.WaitForPendingTimersAsync();
        _time.Advance(TimeSpan.FromMilliseconds(1000));
        await probe.WaitForCallsAsync(2); // 59 s before inter would have run it
        await _time.WaitForPendingTimersAsync();
        _time.Advance(TimeSpan.FromMilliseconds(1000));
        await probe.WaitForCallsAsync(3); // the pause after that check is fastinter too (forced flag), then inter again
        await _time.WaitForPendingTimersAsync();
        _time.Advance(TimeSpan.FromMilliseconds(59_000));
        await Task.Delay(50);
        Assert.Equal(3, probe.Calls);
    }

    private sealed class CountingProbe : IHealthProbe
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public ValueTask<CheckResult> CheckAsync(string address, int port, HealthCheckSettings settings, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return ValueTask.FromResult(new CheckResult(CheckStatus.L7Ok, 200, TimeSpan.Zero));
        }

        public Task WaitForCallsAsync(int count) =>
            Eventually.WaitAsync(() => Calls >= count, TimeSpan.FromSeconds(10), pollMs: 5)
                .ContinueWith(t => Assert.True(t.Result, $"expected {count} checks, saw {Calls}"), TaskScheduler.Default);
    }
}
