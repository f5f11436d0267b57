using Ballast.DataPlane.Config;
using Ballast.DataPlane.LoadBalancing;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.LoadBalancing;

public class ServerQueueTests
{
    private static BackendRuntime Build(uint maxqueue = 0)
    {
        var a = Server("a", 1, maxconn: 1);
        a.Maxqueue = maxqueue;
        return BalancerTestKit.Build(Backend("app", a, Server("b", 2, maxconn: 1)));
    }

    [Fact]
    public async Task PersistentRequest_ServerAtMaxconn_WaitsInServerQueue_AndIsServedByThatServer()
    {
        var backend = Build();
        var a = backend.Servers[0];
        Assert.True(a.TryAcquire());

        var waiting = ServerQueue.AcquireAsync(a, backend, CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, a.PendingQueue.Length);
        Assert.Equal(0, backend.State.Queue.Length);

        a.Release(); // the slot goes to the waiter, not back to the pool
        Assert.Equal(ServerQueueResult.Served, await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(1, a.State.Counters.Scur);
        Assert.Equal(0, a.PendingQueue.Length);
        Assert.Equal(1, a.PendingQueue.Max);
    }

    [Fact]
    public async Task PersistentRequest_ServerQueueAtMaxqueue_IsFull()
    {
        var backend = Build(maxqueue: 1);
        var a = backend.Servers[0];
        Assert.True(a.TryAcquire());
        var first = ServerQueue.AcquireAsync(a, backend, CancellationToken.None).AsTask();

        Assert.Equal(ServerQueueResult.Full, await ServerQueue.AcquireAsync(a, backend, CancellationToken.None));
        Assert.Equal(1, a.PendingQueue.Length);
        a.Release();
        Assert.Equal(ServerQueueResult.Served, await first.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task PersistentRequest_TimeoutQueue_LeavesTheServerQueue()
    {
        var backend = Build();
        var a = backend.Servers[0];
        Assert.True(a.TryAcquire());
        var waiting = ServerQueue.AcquireAsync(a, backend, CancellationToken.None).AsTask();

        BalancerTestKit.Time.Advance(backend.QueueTimeout + TimeSpan.FromMilliseconds(1));

        Assert.Equal(ServerQueueResult.TimedOut, await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, a.PendingQueue.Length);
        a.Release();
        Assert.Equal(0, a.State.Counters.Scur);
    }

    [Fact]
    public async Task FreedSlot_GoesToTheOlderWaiter_ServerQueueFirst()
    {
        var backend = Build();
        var a = backend.Servers[0];
        var b = backend.Servers[1];
        Assert.True(a.TryAcquire());
        Assert.True(b.TryAcquire());
        var persistent = ServerQueue.AcquireAsync(a, backend, CancellationToken.None).AsTask();
        var balanced = BackendQueue.PickAsync(backend, default, default, CancellationToken.None).AsTask();
        Assert.Equal((1, 1), (a.PendingQueue.Length, backend.State.Queue.Length));

        a.Release();
        Assert.Equal(ServerQueueResult.Served, await persistent.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.False(balanced.IsCompleted);
        a.Release();
        Assert.Same(a, await balanced.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task FreedSlot_GoesToTheOlderWaiter_BackendQueueFirst()
    {
        var backend = Build();
        var a = backend.Servers[0];
        var b = backend.Servers[1];
        Assert.True(a.TryAcquire());
        Assert.True(b.TryAcquire());
        var balanced = BackendQueue.PickAsync(backend, default, default, CancellationToken.None).AsTask();
        var persistent = ServerQueue.AcquireAsync(a, backend, CancellationToken.None).AsTask();

        a.Release();
        Assert.Same(a, await balanced.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.False(persistent.IsCompleted);
        a.Release();
        Assert.Equal(ServerQueueResult.Served, await persistent.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
