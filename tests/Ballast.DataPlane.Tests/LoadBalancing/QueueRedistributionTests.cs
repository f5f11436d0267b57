using Ballast.DataPlane.Config;
using Ballast.DataPlane.Health;
using Ballast.DataPlane.LoadBalancing;
using Ballast.DataPlane.Runtime;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.LoadBalancing;

/// <summary>
/// HAProxy <c>pendconn_redistribute</c>: requests waiting in a server's own queue leave it when the server goes DOWN or
/// into MAINT under <c>option redispatch</c>, and stay (until the server is back or <c>timeout queue</c>) without it.
/// </summary>
public class QueueRedistributionTests
{
    private static RuntimeModel Model(bool redispatch)
    {
        var backend = Backend("app", Server("a", 1, check: true, maxconn: 1), Server("b", 2, maxconn: 1));
        if (!redispatch)
        {
            backend.Redispatch = 0; // no option redispatch
        }

        return RuntimeModelBuilder.Build(1, NewConfig([], [backend]), RuntimeModel.Empty, new ManualTimeProvider()); // own clock: other classes advance the shared one
    }

    private static void MarkDown(ServerRuntime server)
    {
        for (var i = 0; i < 3; i++)
        {
            server.State.Health.Report(new CheckResult(CheckStatus.L4Connection, 0, TimeSpan.Zero), 2, 3);
        }

        Assert.False(server.IsUp);
    }

    [Fact]
    public async Task ServerGoesDown_WithRedispatch_ItsQueuedRequestsLeaveToBeBalanced()
    {
        var backend = Model(redispatch: true).Backends[0];
        var a = backend.Servers[0];
        Assert.True(a.TryAcquire());
        var first = ServerQueue.AcquireAsync(a, backend, CancellationToken.None).AsTask();
        var second = ServerQueue.AcquireAsync(a, backend, CancellationToken.None).AsTask();
        Assert.Equal(2, a.PendingQueue.Length);

        MarkDown(a);

        Assert.Equal(ServerQueueResult.Redispatched, await first.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(ServerQueueResult.Redispatched, await second.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, a.PendingQueue.Length);
        Assert.Equal(1, a.State.Counters.Scur); // only the request being served: the waiters took no slot
    }

    [Fact]
    public async Task ServerSetToMaintAtRunTime_WithRedispatch_ItsQueuedRequestsLeaveToBeBalanced()
    {
        var model = Model(redispatch: true);
        var backend = model.Backends[0];
        var a = backend.Servers[0];
        Assert.True(a.TryAcquire());
        var waiting = ServerQueue.AcquireAsync(a, backend, CancellationToken.None).AsTask();

        var overrides = new RuntimeOverrides();
        var update = new V1.RuntimeUpdate { Revision = 1, Nonce = "n1" };
        update.Overrides.Add(new V1.ServerOverride { Backend = "app", Server = "a", State = V1.ServerState.Maint });
        Assert.True(overrides.TryReplace(update, out var error), error);
        overrides.ApplyTo(model);

        Assert.Equal(ServerQueueResult.Redispatched, await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, a.PendingQueue.Length);
    }

    [Fact]
    public async Task ServerAlreadyDownWhenTheRequestQueues_WithRedispatch_IsRedispatchedAtOnce()
    {
        var backend = Model(redispatch: true).Backends[0];
        var a = backend.Servers[0];
        Assert.True(a.TryAcquire());
        var waiting = ServerQueue.AcquireAsync(a, backend, CancellationToken.None).AsTask();
        var health = a.State.Health;
        for (var i = 0; i < 3; i++)
        {
            health.Report(new CheckResult(CheckStatus.L4Connection, 0, TimeSpan.Zero), 2, 3);
        }

        var late = ServerQueue.AcquireAsync(a, backend, CancellationToken.None).AsTask();
        Assert.Equal(ServerQueueResult.Redispatched, await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(ServerQueueResult.Redispatched, await late.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task ServerGoesDown_WithoutRedispatch_QueuedRequestsStay_AndAreServedWhenItIsBack()
    {
        var backend = Model(redispatch: false).Backends[0];
        var a = backend.Servers[0];
        Assert.True(a.TryAcquire());
        var waiting = ServerQueue.AcquireAsync(a, backend, CancellationToken.None).AsTask();

        MarkDown(a);
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, a.PendingQueue.Length);

        for (var i = 0; i < 2; i++)
        {
            a.State.Health.Report(new CheckResult(CheckStatus.L4Ok, 0, TimeSpan.Zero), 2, 3);
        }

        Assert.True(a.IsUp);
        a.Release(); // the slot goes to the waiter, which stayed
        Assert.Equal(ServerQueueResult.Served, await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(1, a.State.Counters.Scur);
    }
}
