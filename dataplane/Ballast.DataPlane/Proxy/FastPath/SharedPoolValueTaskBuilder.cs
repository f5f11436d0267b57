using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace Ballast.DataPlane.Proxy.FastPath;

/// <summary>
/// Async method builder for the per-request <c>async ValueTask&lt;T&gt;</c> methods of the fast path: as
/// <see cref="PoolingAsyncValueTaskMethodBuilder{TResult}"/>, a method that suspends keeps its state in a reusable
/// box instead of allocating one, but the boxes come from a shared pool per method (<see cref="PooledBox{TResult, TStateMachine}.Capacity"/>
/// boxes) instead of the BCL's one per thread plus one per core. The fast path keeps one suspended frame of each
/// method per request in flight (50-200 in the benchmark) and starts and finishes them in batches on the socket
/// threads, so the BCL cache missed on most suspensions: ~1.6 KB allocated per request, 3-7 gen0 collections per
/// second whose pauses (2-18 ms on the shared 2-core machine) set the p99 (deploy/BENCHMARKS.md, session 4).
/// A method that completes synchronously allocates nothing, as with the BCL builders.
/// </summary>
/// <typeparam name="TResult">The method's result.</typeparam>
internal struct SharedPoolValueTaskBuilder<TResult>
{
    private PooledBoxBase<TResult>? _box;
    private TResult _result;

    /// <summary>Creates a builder (called by the compiler).</summary>
    public static SharedPoolValueTaskBuilder<TResult> Create() => default;

    /// <summary>The method's result task (called by the compiler after <see cref="Start{TStateMachine}"/>).</summary>
    public ValueTask<TResult> Task => _box is null ? new ValueTask<TResult>(_result) : new ValueTask<TResult>(_box, _box.Version);

    /// <summary>Runs the method up to its first suspension, restoring the caller's execution context after.</summary>
    /// <typeparam name="TStateMachine">The method's state machine.</typeparam>
    /// <param name="stateMachine">The state machine.</param>
    public void Start<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine =>
        AsyncValueTaskMethodBuilder.Create().Start(ref stateMachine);

    /// <summary>Not used (boxes are created by this builder).</summary>
    /// <param name="stateMachine">Ignored.</param>
    public readonly void SetStateMachine(IAsyncStateMachine stateMachine)
    {
    }

    /// <summary>Completes the method with <paramref name="result"/>.</summary>
    /// <param name="result">The result.</param>
    public void SetResult(TResult result)
    {
        if (_box is null)
        {
            _result = result;
        }
        else
        {
            _box.SetResult(result);
        }
    }

    /// <summary>Completes the method with <paramref name="exception"/>.</summary>
    /// <param name="exception">The exception.</param>
    public void SetException(Exception exception)
    {
        // A box even when the method had not suspended, so that the exception surfaces at the await.
        _box ??= PooledBox<TResult, NoStateMachine>.Rent();
        _box.SetException(exception);
    }

    /// <summary>Schedules the state machine to resume when <paramref name="awaiter"/> completes.</summary>
    /// <typeparam name="TAwaiter">The awaiter.</typeparam>
    /// <typeparam name="TStateMachine">The state machine.</typeparam>
    /// <param name="awaiter">The awaiter.</param>
    /// <param name="stateMachine">The state machine.</param>
    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion
        where TStateMachine : IAsyncStateMachine =>
        awaiter.OnCompleted(BoxOf(ref stateMachine).MoveNextAction);

    /// <summary>Schedules the state machine to resume when <paramref name="awaiter"/> completes.</summary>
    /// <typeparam name="TAwaiter">The awaiter.</typeparam>
    /// <typeparam name="TStateMachine">The state machine.</typeparam>
    /// <param name="awaiter">The awaiter.</param>
    /// <param name="stateMachine">The state machine.</param>
    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion
        where TStateMachine : IAsyncStateMachine =>
        awaiter.UnsafeOnCompleted(BoxOf(ref stateMachine).MoveNextAction);

    private PooledBox<TResult, TStateMachine> BoxOf<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
    {
        var context = ExecutionContext.Capture();
        if (_box is PooledBox<TResult, TStateMachine> existing)
        {
            existing.Context = context;
            return existing;
        }

        var box = PooledBox<TResult, TStateMachine>.Rent();
        _box = box; // first suspension: this builder is still the one in the caller's stack copy; set before the copy
        box.StateMachine = stateMachine;
        box.Context = context;
        return box;
    }

    private struct NoStateMachine : IAsyncStateMachine
    {
        public readonly void MoveNext()
        {
        }

        public readonly void SetStateMachine(IAsyncStateMachine stateMachine)
        {
        }
    }
}

/// <summary>The result side of a pooled box: the <see cref="IValueTaskSource{TResult}"/> the method's task wraps.</summary>
/// <typeparam name="TResult">The method's result.</typeparam>
internal abstract class PooledBoxBase<TResult> : IValueTaskSource<TResult>
{
    private ManualResetValueTaskSourceCore<TResult> _core;

    /// <summary>The version of the current use (the token of the method's task).</summary>
    public short Version => _core.Version;

    /// <summary>Completes the current use.</summary>
    /// <param name="result">The result.</param>
    public void SetResult(TResult result) => _core.SetResult(result);

    /// <summary>Completes the current use with an exception.</summary>
    /// <param name="exception">The exception.</param>
    public void SetException(Exception exception) => _core.SetException(exception);

    /// <inheritdoc />
    public TResult GetResult(short token)
    {
        if (token != _core.Version || _core.GetStatus(token) == ValueTaskSourceStatus.Pending)
        {
            // a second or premature GetResult: fail without returning a box that is still in use to the pool
            throw new InvalidOperationException("The ValueTask was already consumed or has not completed.");
        }

        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            Return();
        }
    }

    /// <inheritdoc />
    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc />
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    /// <summary>Clears the box and puts it back in its pool (called once the result was taken).</summary>
    protected abstract void Return();
}

/// <summary>A box of one async method's state machine, pooled per method.</summary>
/// <typeparam name="TResult">The method's result.</typeparam>
/// <typeparam name="TStateMachine">The method's state machine.</typeparam>
internal sealed class PooledBox<TResult, TStateMachine> : PooledBoxBase<TResult>
    where TStateMachine : IAsyncStateMachine
{
    /// <summary>Most idle boxes kept per method (beyond it, returned boxes are left to the GC).</summary>
    public const int Capacity = 1024;

    private static readonly ContextCallback RunInContext = state => ((PooledBox<TResult, TStateMachine>)state!).StateMachine!.MoveNext();

    // The pool of this method's idle boxes: process-wide by necessity (the compiler creates builders statically), as
    // the BCL's own box caches; a short lock around an array (two socket threads rent and return).
    private static readonly Lock Gate = new();
    private static readonly PooledBox<TResult, TStateMachine>?[] Idle = new PooledBox<TResult, TStateMachine>?[Capacity];
    private static int _count;

    // In front of the shared pool, a few idle boxes per thread: an event loop rents and returns each method's box once
    // per request on its own thread, so the lock is taken only when a box crosses threads or the local stack runs
    // empty or full.
    private const int LocalCapacity = 32;

    [ThreadStatic]
    private static PooledBox<TResult, TStateMachine>?[]? t_local;

    [ThreadStatic]
    private static int t_localCount;

    private PooledBox() => MoveNextAction = MoveNext;

    /// <summary>The suspended method's state (a copy of the caller's stack copy, builder included).</summary>
    public TStateMachine? StateMachine;

    /// <summary>The execution context to resume in (null = flow suppressed).</summary>
    public ExecutionContext? Context;

    /// <summary>Resumes the method (the awaiters' continuation).</summary>
    public Action MoveNextAction { get; }

    /// <summary>Takes an idle box or creates one.</summary>
    public static PooledBox<TResult, TStateMachine> Rent()
    {
        if (t_localCount > 0)
        {
            var local = t_local!;
            var box = local[--t_localCount]!;
            local[t_localCount] = null;
            return box;
        }

        lock (Gate)
        {
            if (_count > 0)
            {
                var box = Idle[--_count]!;
                Idle[_count] = null;
                return box;
            }
        }

        return new PooledBox<TResult, TStateMachine>();
    }

    /// <inheritdoc />
    protected override void Return()
    {
        StateMachine = default;
        Context = null;
        var stack = t_local ??= new PooledBox<TResult, TStateMachine>?[LocalCapacity];
        if (t_localCount < LocalCapacity)
        {
            stack[t_localCount++] = this;
            return;
        }

        lock (Gate)
        {
            if (_count < Capacity)
            {
                Idle[_count++] = this;
            }
        }
    }

    private void MoveNext()
    {
        var context = Context;
        if (context is null)
        {
            StateMachine!.MoveNext();
        }
        else
        {
            ExecutionContext.Run(context, RunInContext, this);
        }
    }
}
