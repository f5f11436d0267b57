using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using Ballast.DataPlane.Proxy.FastPath;

namespace Ballast.DataPlane.Tests.Proxy.FastPath;

public sealed class SharedPoolValueTaskBuilderTests
{
    private const int InFlight = 100;

    [Fact]
    public void ManySuspendedAtOnce_ReuseTheirBoxes_UnlikeTheBclPoolingBuilder()
    {
        var shared = AllocatedPerCall(Suspending);
        var bcl = AllocatedPerCall(SuspendingBcl);

        // The BCL's PoolingAsyncValueTaskMethodBuilder keeps one idle box per thread and per core: with 100 calls
        // suspended at once it allocates a box for almost every call. The shared pool allocates none (a Debug build
        // still allocates each call's state machine, a class there: the same in both).
        Assert.True(bcl - shared >= 48, $"bytes per call: shared pool {shared}, BCL pooling builder {bcl}");
        Assert.True(shared <= 64, $"bytes per call: shared pool {shared}");
    }

    private static double AllocatedPerCall(Func<Gate, int, ValueTask<int>> method)
    {
        var gates = new Gate[InFlight];
        for (var i = 0; i < gates.Length; i++)
        {
            gates[i] = new Gate();
        }

        var pending = new ValueTask<int>[InFlight];
        RunCycle(method, gates, pending); // fills the pools
        var before = GC.GetAllocatedBytesForCurrentThread();
        long sum = 0;
        for (var cycle = 0; cycle < 20; cycle++)
        {
            sum += RunCycle(method, gates, pending);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(20L * InFlight * (InFlight - 1) / 2, sum);
        return allocated / (20.0 * InFlight);
    }

    [Fact]
    public async Task SynchronousAndSuspendedCompletions_ReturnTheResult()
    {
        Assert.Equal(7, await Immediate(7));
        var gate = new Gate();
        var pending = Suspending(gate, 5);
        Assert.False(pending.IsCompleted);
        gate.Open();
        Assert.Equal(5, await pending);
    }

    [Fact]
    public async Task Exceptions_SurfaceAtTheAwait_BeforeAndAfterSuspending()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await ThrowsAtOnce());
        var gate = new Gate();
        var pending = ThrowsAfter(gate);
        gate.Open();
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await pending);
    }

    [Fact]
    public async Task AsyncLocal_FlowsAcrossTheSuspension()
    {
        var local = new AsyncLocal<int>();
        var gate = new Gate();
        local.Value = 42;
        var pending = ReadsAfter(gate, local);
        local.Value = 0;
        gate.Open(); // resumes inline on this thread, whose value is now 0
        Assert.Equal(42, await pending);
    }

    private static long RunCycle(Func<Gate, int, ValueTask<int>> method, Gate[] gates, ValueTask<int>[] pending)
    {
        for (var i = 0; i < gates.Length; i++)
        {
            gates[i].Reset();
            pending[i] = method(gates[i], i);
        }

        for (var i = 0; i < gates.Length; i++)
        {
            gates[i].Open(); // resumes the method inline: it completes its box
        }

        long sum = 0;
        for (var i = 0; i < pending.Length; i++)
        {
            sum += pending[i].Result; // takes the result: the box returns to the pool
        }

        return sum;
    }

    [AsyncMethodBuilder(typeof(SharedPoolValueTaskBuilder<>))]
    private static async ValueTask<int> Suspending(Gate gate, int value)
    {
        await gate.WaitAsync().ConfigureAwait(false);
        return value;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<int> SuspendingBcl(Gate gate, int value)
    {
        await gate.WaitAsync().ConfigureAwait(false);
        return value;
    }

    [AsyncMethodBuilder(typeof(SharedPoolValueTaskBuilder<>))]
    private static async ValueTask<int> Immediate(int value)
    {
        await Task.CompletedTask;
        return value;
    }

    [AsyncMethodBuilder(typeof(SharedPoolValueTaskBuilder<>))]
    private static async ValueTask<int> ThrowsAtOnce()
    {
        await Task.CompletedTask;
        throw new InvalidOperationException("at once");
    }

    [AsyncMethodBuilder(typeof(SharedPoolValueTaskBuilder<>))]
    private static async ValueTask<int> ThrowsAfter(Gate gate)
    {
        await gate.WaitAsync().ConfigureAwait(false);
        throw new InvalidOperationException("after");
    }

    [AsyncMethodBuilder(typeof(SharedPoolValueTaskBuilder<>))]
    private static async ValueTask<int> ReadsAfter(Gate gate, AsyncLocal<int> local)
    {
        await gate.WaitAsync().ConfigureAwait(false);
        return local.Value;
    }

    /// <summary>A reusable awaitable that resumes its waiter inline when opened.</summary>
    private sealed class Gate : IValueTaskSource
    {
        private ManualResetValueTaskSourceCore<bool> _core;

        public void Reset() => _core.Reset();

        public void Open() => _core.SetResult(true);

        public ValueTask WaitAsync() => new(this, _core.Version);

        public void GetResult(short token) => _core.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
