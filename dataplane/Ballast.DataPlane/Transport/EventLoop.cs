using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Ballast.DataPlane.Transport;

/// <summary>Something registered with an <see cref="EventLoop"/>: called on the loop's thread with the ready events.</summary>
internal interface IEpollHandler
{
    /// <summary>Handles readiness.</summary>
    /// <param name="events">EPOLL* flags (<see cref="Libc.EPOLLIN"/>, <see cref="Libc.EPOLLOUT"/>, ...).</param>
    void OnEvents(uint events);
}

/// <summary>
/// One event loop, as one HAProxy thread: a thread blocked in <c>epoll_wait</c> on edge-triggered descriptors
/// that calls each ready <see cref="IEpollHandler"/> in turn, plus a queue of work posted from other threads
/// (woken through an eventfd). As a <see cref="PipeScheduler"/> it runs work inline when already on its thread and
/// queues it otherwise, so pipe continuations of its connections always run on it.
/// </summary>
internal sealed unsafe partial class EventLoop : PipeScheduler, IDisposable
{
    private const int MaxEvents = 256;

    private readonly int _epoll;
    private readonly int _wakeFd;
    private readonly Thread _thread;
    private readonly ConcurrentQueue<(Action<object?> Action, object? State)> _work = new();
    private readonly ILogger _logger;
    private int _wakePending;
    private volatile bool _stopping;
    private volatile bool _exited;

    /// <summary>Creates the loop and starts its thread.</summary>
    /// <param name="name">Thread name (shown by <c>top -H</c>, perf).</param>
    /// <param name="logger">Logs handler failures.</param>
    /// <exception cref="InvalidOperationException">epoll or eventfd could not be created (errno in the message).</exception>
    public EventLoop(string name, ILogger logger)
    {
        _logger = logger;
        _epoll = Libc.epoll_create1(Libc.O_CLOEXEC);
        if (_epoll < 0)
        {
            throw new InvalidOperationException($"epoll_create1 failed: errno {Marshal.GetLastPInvokeError()}");
        }

        _wakeFd = Libc.eventfd(0, Libc.O_CLOEXEC | Libc.O_NONBLOCK);
        if (_wakeFd < 0)
        {
            Libc.close(_epoll);
            throw new InvalidOperationException($"eventfd failed: errno {Marshal.GetLastPInvokeError()}");
        }

        var wake = new Libc.EpollEvent { Events = Libc.EPOLLIN | Libc.EPOLLET, Data = 0 };
        Libc.epoll_ctl(_epoll, Libc.EPOLL_CTL_ADD, _wakeFd, &wake);
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.UnsafeStart(); // no ExecutionContext: continuations started on the loop restore none
    }

    /// <summary>Whether the caller runs on this loop's thread.</summary>
    public bool IsCurrent => Environment.CurrentManagedThreadId == _thread.ManagedThreadId;

    /// <summary>Adds <paramref name="fd"/> for <paramref name="events"/> (edge-triggered) with <paramref name="handler"/>.</summary>
    /// <param name="fd">A non-blocking descriptor.</param>
    /// <param name="events">EPOLL* flags; <see cref="Libc.EPOLLET"/> is added.</param>
    /// <param name="handler">Called on this loop with the ready events.</param>
    /// <returns>The handle to pass to <see cref="Unregister"/>.</returns>
    /// <exception cref="InvalidOperationException">epoll_ctl failed (errno in the message).</exception>
    public GCHandle Register(int fd, uint events, IEpollHandler handler)
    {
        var handle = GCHandle.Alloc(handler);
        var ev = new Libc.EpollEvent { Events = events | Libc.EPOLLET, Data = (ulong)GCHandle.ToIntPtr(handle) };
        if (Libc.epoll_ctl(_epoll, Libc.EPOLL_CTL_ADD, fd, &ev) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            handle.Free();
            throw new InvalidOperationException($"epoll_ctl(ADD) failed: errno {errno}");
        }

        return handle;
    }

    /// <summary>
    /// Removes <paramref name="fd"/> and frees its handle. Call on this loop's thread (<see cref="Post"/>), so that
    /// no event of the descriptor is being handled or is still pending in the current batch.
    /// </summary>
    /// <param name="fd">The descriptor (still open).</param>
    /// <param name="handle">What <see cref="Register"/> returned.</param>
    public void Unregister(int fd, GCHandle handle)
    {
        Libc.epoll_ctl(_epoll, Libc.EPOLL_CTL_DEL, fd, null);
        if (handle.IsAllocated)
        {
            handle.Free();
        }
    }

    /// <inheritdoc />
    public override void Schedule(Action<object?> action, object? state)
    {
        if (IsCurrent)
        {
            action(state);
        }
        else
        {
            Post(action, state);
        }
    }

    /// <summary>Queues <paramref name="action"/> to run on this loop after the events being handled.</summary>
    /// <param name="action">The work.</param>
    /// <param name="state">Its argument.</param>
    public void Post(Action<object?> action, object? state)
    {
        if (_exited)
        {
            action(state); // the loop is gone (node shutting down): run here
            return;
        }

        _work.Enqueue((action, state));
        if (IsCurrent)
        {
            return; // the loop runs its queue after the events being handled: no wake-up needed
        }

        if (Interlocked.Exchange(ref _wakePending, 1) == 0)
        {
            ulong one = 1;
            Libc.write(_wakeFd, (byte*)&one, sizeof(ulong));
        }
    }

    /// <summary>Stops the thread after the work queued so far; descriptors still registered are left to their owners.</summary>
    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        Post(static _ => { }, null);
        if (!IsCurrent)
        {
            _thread.Join(TimeSpan.FromSeconds(5));
        }

        _exited = true;
        RunWork();

        Libc.close(_wakeFd);
        Libc.close(_epoll);
    }

    private void Run()
    {
        var events = stackalloc Libc.EpollEvent[MaxEvents];
        while (!_stopping)
        {
            var count = Libc.epoll_wait(_epoll, events, MaxEvents, -1);
            if (count < 0)
            {
                if (Marshal.GetLastPInvokeError() == Libc.EINTR)
                {
                    continue;
                }

                LogWaitFailed(_logger, Marshal.GetLastPInvokeError());
                return;
            }

            for (var i = 0; i < count; i++)
            {
                if (events[i].Data == 0)
                {
                    ulong value;
                    Libc.read(_wakeFd, (byte*)&value, sizeof(ulong));
                    continue;
                }

                Dispatch(events[i]);
            }

            RunWork();
        }
    }

    private void Dispatch(Libc.EpollEvent ev)
    {
        try
        {
            if (GCHandle.FromIntPtr((nint)ev.Data).Target is IEpollHandler handler)
            {
                handler.OnEvents(ev.Events);
            }
        }
        catch (Exception ex)
        {
            LogHandlerFailed(_logger, ex);
        }
    }

    private void RunWork()
    {
        Volatile.Write(ref _wakePending, 0);
        while (_work.TryDequeue(out var item))
        {
            try
            {
                item.Action(item.State);
            }
            catch (Exception ex)
            {
                LogHandlerFailed(_logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Event loop: a handler failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Event loop stopped: epoll_wait failed with errno {Errno}")]
    private static partial void LogWaitFailed(ILogger logger, int errno);
}
