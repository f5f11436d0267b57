using System.IO.Pipelines;
using System.Net;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Ballast.DataPlane.Transport;

/// <summary>
/// One TCP connection of <see cref="EpollTransport"/>, as a Kestrel <see cref="ConnectionContext"/> (its
/// <see cref="Transport"/> pipes feed Kestrel's HTTP layers, TLS and the fast path unchanged). Reads happen only on
/// readiness, on the loop's thread: on an edge, <c>recv</c> straight into the input pipe until a read comes back
/// short (the socket is then drained; the next arrival raises a new edge), so a wait for data costs no failed read,
/// as in HAProxy (.NET's socket layer tries a read before every wait). Sends go out from whichever thread flushed the
/// output pipe; only a full socket buffer waits for the loop's <c>EPOLLOUT</c>. A writer on the loop may also send
/// straight from its own buffers while the output pipe holds nothing (<see cref="IDirectSendFeature"/>). The descriptor
/// is closed on the loop after the sender has stopped, so it is never reused under a running call.
/// </summary>
internal sealed partial class EpollConnection : ConnectionContext, IEpollHandler,
    IConnectionIdFeature, IConnectionTransportFeature, IConnectionItemsFeature, IConnectionLifetimeFeature, IConnectionEndPointFeature,
    IMemoryPoolFeature, IDirectSendFeature
{
    /// <summary>Largest read into the input pipe, bytes (HAProxy's default <c>tune.bufsize</c> is 16 KB).</summary>
    public const int ReadSize = 16 * 1024;

    private readonly int _fd;
    private readonly EventLoop _loop;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly Lock _gate = new();
    private readonly Action _onFlushed;
    private readonly WritableSignal _writable = new();
    private readonly DirectWriter _writer;
    private GCHandle _handle;
    private IDictionary<object, object?>? _items;
    private EndPoint? _localEndPoint;
    private string? _id;
    private Task _sender = Task.CompletedTask;
    private ValueTask<FlushResult> _pendingFlush;
    private ConnectionAbortedException? _abortReason;
    private bool _readPaused;
    private bool _drainToEnd;
    private bool _peerClosed;
    private bool _inputDone;
    private bool _inputCompleted;
    private bool _fdClosed;
    private CancellationTokenSource? _closed; // created when first asked for: most connections never are
    private int _closedFired;
    private TaskCompletionSource? _closedOnLoop;
    private bool _sendShut;
    private int _disposed;
    private int _senderIdle; // 1 while the sender waits for output with everything flushed so far sent

    /// <summary>Wraps a connected, non-blocking socket; <see cref="Start"/> registers it.</summary>
    /// <param name="fd">The socket (owned: closed by <see cref="DisposeAsync"/>).</param>
    /// <param name="loop">The loop that reads it.</param>
    /// <param name="remote">The peer.</param>
    /// <param name="local">The local end point, or null to ask the kernel when first read.</param>
    /// <param name="owner">The transport: connection ids, buffers, linger time.</param>
    public EpollConnection(int fd, EventLoop loop, EndPoint? remote, EndPoint? local, EpollTransport owner)
    {
        _fd = fd;
        _loop = loop;
        RemoteEndPoint = remote;
        _localEndPoint = local;
        Owner = owner;
        _onFlushed = OnFlushed;
        _input = new Pipe(new PipeOptions(
            pool: owner.Blocks,
            readerScheduler: PipeScheduler.Inline,
            writerScheduler: loop,
            pauseWriterThreshold: 1024 * 1024,
            resumeWriterThreshold: 512 * 1024,
            minimumSegmentSize: ReadSize,
            useSynchronizationContext: false));
        _output = new Pipe(new PipeOptions(
            pool: owner.Blocks,
            readerScheduler: PipeScheduler.Inline,
            writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: 64 * 1024,
            resumeWriterThreshold: 32 * 1024,
            useSynchronizationContext: false));
        _writer = new DirectWriter(this, _output.Writer);
        Transport = new DuplexPipe(_input.Reader, _writer);
        Features = new FeatureCollection();
        Features.Set<IConnectionIdFeature>(this);
        Features.Set<IConnectionTransportFeature>(this);
        Features.Set<IConnectionItemsFeature>(this);
        Features.Set<IConnectionLifetimeFeature>(this);
        Features.Set<IConnectionEndPointFeature>(this);
        Features.Set<IMemoryPoolFeature>(this); // Kestrel's TLS and HTTP layers take their buffers from it too
        Features.Set<IDirectSendFeature>(this);
    }

    private EpollTransport Owner { get; }

    /// <inheritdoc />
    public System.Buffers.MemoryPool<byte> MemoryPool => Owner.Blocks;

    /// <inheritdoc />
    public override string ConnectionId
    {
        get => _id ??= Owner.NextConnectionId();
        set => _id = value;
    }

    /// <inheritdoc />
    public override IFeatureCollection Features { get; }

    /// <inheritdoc />
    public override IDictionary<object, object?> Items
    {
        get => _items ??= new ConnectionItems();
        set => _items = value;
    }

    /// <inheritdoc />
    public override IDuplexPipe Transport { get; set; }

    /// <inheritdoc />
    PipeWriter IDirectSendFeature.Output => _writer;

    /// <inheritdoc />
    public override CancellationToken ConnectionClosed
    {
        get
        {
            if (_closed is null)
            {
                var created = new CancellationTokenSource();
                if (Interlocked.CompareExchange(ref _closed, created, null) is null && Volatile.Read(ref _closedFired) == 1)
                {
                    created.Cancel(); // the input ended before anyone asked
                }
            }

            return _closed.Token;
        }
        set => throw new NotSupportedException("the transport owns ConnectionClosed");
    }

    /// <inheritdoc />
    public override EndPoint? LocalEndPoint
    {
        get => _localEndPoint ??= QueryLocalEndPoint();
        set => _localEndPoint = value;
    }

    /// <inheritdoc />
    public override EndPoint? RemoteEndPoint { get; set; }

    /// <summary>Registers the socket with its loop and starts the sender.</summary>
    public void Start()
    {
        _handle = _loop.Register(_fd, Libc.EPOLLIN | Libc.EPOLLOUT | Libc.EPOLLRDHUP, this);
        _sender = SendLoopAsync();
    }

    /// <inheritdoc />
    public void OnEvents(uint events)
    {
        if (_fdClosed)
        {
            return;
        }

        if ((events & (Libc.EPOLLOUT | Libc.EPOLLERR | Libc.EPOLLHUP)) != 0)
        {
            _writable.Signal();
        }

        if ((events & (Libc.EPOLLRDHUP | Libc.EPOLLERR | Libc.EPOLLHUP)) != 0)
        {
            _peerClosed = _drainToEnd = true; // a FIN (or error) waits behind the data: a short read no longer means drained
        }

        if ((events & (Libc.EPOLLIN | Libc.EPOLLRDHUP | Libc.EPOLLERR | Libc.EPOLLHUP)) != 0 && !_readPaused && !_inputDone)
        {
            Receive();
        }
    }

    /// <inheritdoc />
    public override void Abort(ConnectionAbortedException abortReason)
    {
        lock (_gate)
        {
            _abortReason ??= abortReason;
            if (!_fdClosed)
            {
                Libc.shutdown(_fd, Libc.SHUT_RDWR);
            }
        }

        _output.Reader.CancelPendingRead();
        _writable.Signal();
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _input.Reader.Complete();
        _output.Writer.Complete();
        if (!_sender.IsCompleted)
        {
            // What is left to send waits for the peer to read; one that never does is reset after the linger time.
            try
            {
                await _sender.WaitAsync(Owner.LingerTime, Owner.TimeProvider).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Abort(new ConnectionAbortedException("unsent data: the peer did not read within the linger time"));
                await _sender.ConfigureAwait(false);
            }
        }

        if (_loop.IsCurrent)
        {
            CloseOnLoop(); // the usual case: the connection's handler ends on its loop
            return;
        }

        _closedOnLoop = new TaskCompletionSource();
        _loop.Post(static state => ((EpollConnection)state!).CloseOnLoop(), this);
        await _closedOnLoop.Task.ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Only on the loop's thread, where the sender also runs for a writer on that thread (the output pipe's reader
    /// continues inline on the flushing thread, and <c>EPOLLOUT</c> resumes it on the loop), so a send here cannot
    /// overtake bytes the sender holds: it is idle, and nothing is written but unflushed.
    /// </remarks>
    public unsafe int TrySend(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third)
    {
        if (Volatile.Read(ref _senderIdle) == 0 || _fdClosed || _abortReason is not null || !_loop.IsCurrent
            || _output.Writer.UnflushedBytes != 0)
        {
            return 0;
        }

        nint sent;
        fixed (byte* a = first, b = second, c = third)
        {
            if (second.IsEmpty && third.IsEmpty)
            {
                sent = first.IsEmpty ? 0 : Libc.send(_fd, a, first.Length, Libc.MSG_NOSIGNAL);
            }
            else
            {
                var vectors = stackalloc Libc.IoVector[3];
                var count = 0;
                Add(vectors, ref count, a, first.Length);
                Add(vectors, ref count, b, second.Length);
                Add(vectors, ref count, c, third.Length);
                var message = new Libc.MessageHeader { Vectors = vectors, VectorCount = (nuint)count };
                sent = Libc.sendmsg(_fd, &message, Libc.MSG_NOSIGNAL);
            }
        }

        return sent > 0 ? (int)sent : 0; // EAGAIN, EINTR or an error: the caller's write through the pipe meets it

        static void Add(Libc.IoVector* vectors, ref int count, byte* start, int length)
        {
            if (length > 0)
            {
                vectors[count++] = new Libc.IoVector { Base = start, Length = (nuint)length };
            }
        }
    }

    /// <summary>Reads until the socket is drained, the input pipe is full (resumed by <see cref="OnFlushed"/>) or the input ends.</summary>
    private unsafe void Receive()
    {
        while (true)
        {
            var memory = _input.Writer.GetMemory(ReadSize);
            nint received;
            fixed (byte* buffer = memory.Span)
            {
                received = Libc.recv(_fd, buffer, memory.Length, 0);
            }

            if (received > 0)
            {
                _input.Writer.Advance((int)received);
                var flush = _input.Writer.FlushAsync();
                if (!flush.IsCompleted)
                {
                    _readPaused = true;
                    _pendingFlush = flush;
                    flush.GetAwaiter().UnsafeOnCompleted(_onFlushed);
                    return;
                }

                if (flush.Result.IsCompleted)
                {
                    _inputDone = true; // the application stopped reading
                    return;
                }

                if (_inputDone)
                {
                    return; // the application closed the connection from within the flush (its handler ran inline)
                }

                if (received < memory.Length && !_drainToEnd)
                {
                    return; // drained: the next arrival raises a new edge
                }

                continue;
            }

            if (received == 0)
            {
                CompleteInput(null); // FIN
                return;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno == Libc.EINTR)
            {
                continue;
            }

            if (errno != Libc.EAGAIN)
            {
                CompleteInput(new ConnectionResetException($"recv failed: errno {errno}"));
            }

            return;
        }
    }

    /// <summary>The input pipe has room again (on the loop): read what arrived meanwhile.</summary>
    private void OnFlushed()
    {
        var result = _pendingFlush.GetAwaiter().GetResult();
        _pendingFlush = default;
        _readPaused = false;
        if (result.IsCompleted)
        {
            _inputDone = true;
            return;
        }

        if (!_inputDone)
        {
            _drainToEnd = true; // edges may have passed while paused: read until EAGAIN once
            Receive();
            _drainToEnd = _peerClosed;
        }
    }

    private void CompleteInput(Exception? error)
    {
        _inputDone = true;
        if (_inputCompleted)
        {
            return;
        }

        _inputCompleted = true;
        _input.Writer.Complete(_abortReason ?? error);
        Interlocked.Exchange(ref _closedFired, 1); // a full fence: the getter's CompareExchange and this cannot both miss
        if (Volatile.Read(ref _closed) is not null)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.FireClosed(), this, preferLocal: false);
        }
    }

    private void FireClosed()
    {
        try
        {
            _closed?.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task SendLoopAsync()
    {
        Exception? error = null;
        var reader = _output.Reader;
        try
        {
            while (true)
            {
                Volatile.Write(ref _senderIdle, 1);
                var result = await reader.ReadAsync().ConfigureAwait(false);
                Volatile.Write(ref _senderIdle, 0);
                if (result.IsCanceled)
                {
                    break;
                }

                var buffer = result.Buffer;
                if (buffer.IsSingleSegment)
                {
                    await SendAsync(buffer.First, false).ConfigureAwait(false);
                }
                else
                {
                    // Every segment but the last goes out with MSG_MORE, the last without: one packet where they fit.
                    var position = buffer.Start;
                    var current = ReadOnlyMemory<byte>.Empty;
                    while (buffer.TryGet(ref position, out var next))
                    {
                        if (next.IsEmpty)
                        {
                            continue;
                        }

                        await SendAsync(current, true).ConfigureAwait(false);
                        current = next;
                    }

                    await SendAsync(current, false).ConfigureAwait(false);
                }

                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception ex)
        {
            error = ex;
        }
        finally
        {
            Volatile.Write(ref _senderIdle, 0);
            reader.Complete(error);
            ShutdownSend();
        }
    }

    private ValueTask SendAsync(ReadOnlyMemory<byte> data, bool more)
    {
        var flags = Libc.MSG_NOSIGNAL | (more ? Libc.MSG_MORE : 0);
        while (!data.IsEmpty)
        {
            var sent = SendSome(data.Span, flags);
            if (sent > 0)
            {
                data = data[(int)sent..];
                continue;
            }

            return SendSlowAsync(data, flags);
        }

        return ValueTask.CompletedTask;
    }

    private async ValueTask SendSlowAsync(ReadOnlyMemory<byte> data, int flags)
    {
        while (!data.IsEmpty)
        {
            var sent = SendSome(data.Span, flags);
            if (sent > 0)
            {
                data = data[(int)sent..];
                continue;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno == Libc.EINTR)
            {
                continue;
            }

            if (errno != Libc.EAGAIN)
            {
                throw new ConnectionResetException($"send failed: errno {errno}");
            }

            // Arm the signal, then try once more: an EPOLLOUT edge between the failed send and the arming is not lost.
            _writable.Arm();
            sent = SendSome(data.Span, flags);
            if (sent > 0)
            {
                _writable.Disarm();
                data = data[(int)sent..];
                continue;
            }

            if (Marshal.GetLastPInvokeError() is var again && again != Libc.EAGAIN && again != Libc.EINTR)
            {
                _writable.Disarm();
                throw new ConnectionResetException($"send failed: errno {again}");
            }

            await _writable.WaitAsync().ConfigureAwait(false);
            if (_abortReason is not null)
            {
                throw _abortReason;
            }
        }
    }

    private unsafe nint SendSome(ReadOnlySpan<byte> data, int flags)
    {
        fixed (byte* bytes = data)
        {
            return Libc.send(_fd, bytes, data.Length, flags);
        }
    }

    /// <summary>The output ended: send a FIN and keep reading (a half-close, as <c>mode tcp</c> relays it).</summary>
    private void ShutdownSend()
    {
        lock (_gate)
        {
            if (!_fdClosed && !_sendShut)
            {
                _sendShut = true;
                Libc.shutdown(_fd, Libc.SHUT_WR);
            }
        }
    }

    private void CloseOnLoop()
    {
        CompleteInput(null);
        lock (_gate)
        {
            // Events of this descriptor may still wait in the loop's current batch: the handle is freed after it,
            // and OnEvents ignores them (the number may already belong to a new connection, whose handler differs).
            _fdClosed = true;
            _loop.Unregister(_fd, default);
            Libc.close(_fd);
        }

        var handle = _handle;
        _loop.Post(static state => ((GCHandle)state!).Free(), handle);
        _closedOnLoop?.TrySetResult();
    }

    private unsafe EndPoint? QueryLocalEndPoint()
    {
        var address = stackalloc byte[NativeSocketAddress.MaxSize];
        var length = NativeSocketAddress.MaxSize;
        return Libc.getsockname(_fd, address, &length) == 0 ? NativeSocketAddress.Read(new ReadOnlySpan<byte>(address, length)) : null;
    }

    /// <summary>
    /// The sender's wait for <c>EPOLLOUT</c>: armed by the sender after a send found the socket buffer full, signalled
    /// by the loop (or an abort); the continuation runs on the signalling thread.
    /// </summary>
    private sealed class WritableSignal : System.Threading.Tasks.Sources.IValueTaskSource
    {
        private System.Threading.Tasks.Sources.ManualResetValueTaskSourceCore<bool> _core;
        private int _armed;

        public void Arm()
        {
            _core.Reset();
            Volatile.Write(ref _armed, 1);
        }

        public void Disarm() => Interlocked.Exchange(ref _armed, 0);

        public void Signal()
        {
            // Called on every event of the connection: a plain read first, the interlocked exchange only when armed.
            if (Volatile.Read(ref _armed) == 1 && Interlocked.Exchange(ref _armed, 0) == 1)
            {
                _core.SetResult(true);
            }
        }

        public ValueTask WaitAsync() => new(this, _core.Version);

        void System.Threading.Tasks.Sources.IValueTaskSource.GetResult(short token) => _core.GetResult(token);

        System.Threading.Tasks.Sources.ValueTaskSourceStatus System.Threading.Tasks.Sources.IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

        void System.Threading.Tasks.Sources.IValueTaskSource.OnCompleted(
            Action<object?> continuation, object? state, short token, System.Threading.Tasks.Sources.ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }

    /// <summary>
    /// The output pipe's writer, whose <see cref="WriteAsync"/> sends straight from the caller's buffer when it can
    /// (<see cref="TrySend"/>): Kestrel's TLS layer writes each record so, from SslStream's own buffer, without a copy
    /// into the pipe or a pass through the sender.
    /// </summary>
    private sealed class DirectWriter(EpollConnection connection, PipeWriter inner) : PipeWriter
    {
        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;

        public override void Advance(int bytes) => inner.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

        public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
        {
            var sent = source.IsEmpty || cancellationToken.IsCancellationRequested ? 0 : connection.TrySend(source.Span, default, default);
            return sent == source.Length && sent > 0
                ? new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: false))
                : inner.WriteAsync(source[sent..], cancellationToken);
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
