using System.Collections.Concurrent;
using Ballast.DataPlane.Config;
using Ballast.DataPlane.Health;
using Ballast.DataPlane.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Health;

public sealed class HealthCheckManagerTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _time = new();
    private readonly ScriptedProbe _probe = new();
    private HealthCheckManager _manager = null!;

    public Task InitializeAsync()
    {
        _manager = new HealthCheckManager(_probe, _time, NullLogger<HealthCheckManager>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _manager.DisposeAsync();

    private RuntimeModel Model(V1.Backend backend, RuntimeModel? previous = null) =>
        RuntimeModelBuilder.Build(1, NewConfig([], [backend]), previous ?? RuntimeModel.Empty, _time);

    [Fact]
    public async Task Loop_ChecksEveryInter_AndMarksDownAfterFall()
    {
        var model = Model(Backend("app", Server("a", 1001, check: true)).WithHttpCheck(interMs: 2000, rise: 2, fall: 3));
        var server = model.Backends[0].Servers[0];
        _probe.Result = new CheckResult(CheckStatus.L4Connection, 0, TimeSpan.Zero);

        _manager.Reconcile(model);
        await _time.WaitForPendingTimersAsync();
        Assert.Equal(1, _probe.Calls); // first check at once
        Assert.True(server.IsUp);

        _time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.Equal(1, _probe.Calls); // not before inter

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await _probe.WaitForCallsAsync(2);
        await _time.WaitForPendingTimersAsync();
        Assert.True(server.IsUp);

        _time.Advance(TimeSpan.FromMilliseconds(2000));
        await _probe.WaitForCallsAsync(3);
        await _time.WaitForPendingTimersAsync();

        Assert.False(server.IsUp);
        Assert.Equal(1, server.State.Health.DownTransitions);
    }

    [Fact]
    public async Task Reconcile_UnchangedServer_KeepsLoopAndState()
    {
        var backend = Backend("app", Server("a", 1001, check: true)).WithHttpCheck(interMs: 1000, rise: 1, fall: 1);
        var first = Model(backend);
        _probe.Result = new CheckResult(CheckStatus.L4Connection, 0, TimeSpan.Zero);
        _manager.Reconcile(first);
        await _time.WaitForPendingTimersAsync();
        Assert.False(first.Backends[0].Servers[0].IsUp);

        var second = Model(backend.Clone(), first);
        _manager.Reconcile(second);

        Assert.Same(first.Backends[0].Servers[0].State, second.Backends[0].Servers[0].State);
        Assert.False(second.Backends[0].Servers[0].IsUp);
        Assert.Equal(1, _manager.RunningLoops);
        Assert.Equal(1, _probe.Calls); // no new loop, no extra check
    }

    [Fact]
    public async Task Reconcile_RemovedOrMaintServer_StopsLoop()
    {
        var first = Model(Backend("app", Server("a", 1001, check: true), Server("b", 1002, check: true)).WithHttpCheck(1000));
        _manager.Reconcile(first);
        await _time.WaitForPendingTimersAsync(2);
        Assert.Equal(2, _manager.RunningLoops);

        var second = Model(Backend("app", Server("a", 1001, check: true, state: V1.ServerState.Maint)).WithHttpCheck(1000), first);
        _manager.Reconcile(second);

        Assert.Equal(0, _manager.RunningLoops);
        var calls = _probe.Calls;
        _time.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(50);
        Assert.Equal(calls, _probe.Calls);
    }

    [Fact]
    public async Task Reconcile_ChangedSettings_RestartsLoopOnSameState()
    {
        var first = Model(Backend("app", Server("a", 1001, check: true)).WithHttpCheck(1000));
        _manager.Reconcile(first);
        await _time.WaitForPendingTimersAsync();

        var second = Model(Backend("app", Server("a", 1001, check: true)).WithHttpCheck(500), first);
        _manager.Reconcile(second);
        await _probe.WaitForCallsAsync(2);

        Assert.Same(first.Backends[0].Servers[0].State, second.Backends[0].Servers[0].State);
        Assert.Equal(1, _manager.RunningLoops);
    }

    [Fact]
    public async Task Loop_ProbeThatThrows_CountsAFailedCheck_AndKeepsChecking()
    {
        var model = Model(Backend("app", Server("a", 1001, check: true)).WithHttpCheck(interMs: 1000, rise: 1, fall: 1));
        var server = model.Backends[0].Servers[0];
        _probe.Failure = new System.Net.Sockets.SocketException(24); // EMFILE: no descriptor for the check's socket

        _manager.Reconcile(model);
        await _probe.WaitForCallsAsync(1);
        await _time.WaitForPendingTimersAsync();
        Assert.False(server.IsUp);
        Assert.Equal(CheckStatus.SocketError, server.State.Health.LastStatus);

        _probe.Failure = null; // descriptors are back
        _time.Advance(TimeSpan.FromMilliseconds(1000));
        await _probe.WaitForCallsAsync(2);
        Assert.True(await Eventually.WaitAsync(() => server.IsUp, TimeSpan.FromSeconds(10)), "the loop stopped after the exception");
    }

    [Fact]
    public void Reconcile_ServerWithoutCheck_NotChecked()
    {
        var model = Model(Backend("app", Server("a", 1001)).WithHttpCheck(1000));
        _manager.Reconcile(model);

        Assert.Equal(0, _manager.RunningLoops);
        Assert.Equal("no check", Ballast.DataPlane.Stats.StatsReportBuilder.ServerStatus(model.Backends[0].Servers[0]));
    }

    private sealed class ScriptedProbe : IHealthProbe
    {
        private int _calls;

        public CheckResult Result { get; set; } = new(CheckStatus.L7Ok, 200, TimeSpan.Zero);

        /// <summary>When set, checks throw it instead of returning <see cref="Result"/>.</summary>
        public Exception? Failure { get; set; }

        public int Calls => Volatile.Read(ref _calls);

        public ConcurrentQueue<(string Address, int Port)> Targets { get; } = new();

        public ValueTask<CheckResult> CheckAsync(string address, int port, HealthCheckSettings settings, CancellationToken cancellationToken)
        {
            Targets.Enqueue((address, port));
            Interlocked.Increment(ref _calls);
            return Failure is { } failure ? ValueTask.FromException<CheckResult>(failure) : ValueTask.FromResult(Result);
        }

        public Task WaitForCallsAsync(int count) =>
            Eventually.WaitAsync(() => Calls >= count, TimeSpan.FromSeconds(10), pollMs: 5)
                .ContinueWith(t => Assert.True(t.Result, $"expected {count} checks, saw {Calls}"), TaskScheduler.Default);
    }
}
