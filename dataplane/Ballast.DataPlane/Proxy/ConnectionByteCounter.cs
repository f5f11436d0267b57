using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Tasks.Sources;

namespace Ballast.DataPlane.Proxy;

/// <summary>
/// Wraps a client connection's transport to count bytes received (<c>bin</c>) and sent (<c>bout</c>), headers
/// included, as HAProxy counts them. Installed by <see cref="FrontendConnectionMiddleware"/> and found by the
/// request handler as a connection feature; each request takes the bytes moved since the previous one
/// (<see cref="TakeDelta"/>) and charges them to its frontend, backend and server. Each read that returns data is
/// also reported to the connection's <see cref="Logging.StreamLog"/> (when set), which takes the first one after a
/// request ended as the next request's first byte (HAProxy <c>Ti</c>/<c>TR</c>).
/// </summary>
internal sealed class ConnectionByteCounter : IDuplexPipe, Transport.IDirectSendFeature
{
    private readonly Transport.IDirectSendFeature? _direct;
    private long _in;
    private long _out;
    private long _inTaken;
    private long _outTaken;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The connection's transport.</param>
    /// <param name="direct">The socket's direct sends, used (and counted) only when <paramref name="inner"/> writes
    /// to that socket itself: not through TLS or another layer.</param>
    public ConnectionByteCounter(IDuplexPipe inner, Transport.IDirectSendFeature? direct = null)
    {
        Input = new CountingPipeReader(inner.Input, this);
        Output = new CountingPipeWriter(inner.Output, this);
        _direct = direct is not null && ReferenceEquals(direct.Output, inner.Output) ? direct : null;
    }

    /// <summary>Whether <see cref="TrySend"/> can send at all (the transport is the socket's own).</summary>
    public bool CanSendDirect => _direct is not null;

    /// <inheritdoc />
    public PipeReader Input { get; }

    /// <inheritdoc />
    public PipeWriter Output { get; }

    /// <summary>The connection's request timers, told when bytes arrive; null = none.</summary>
    public Logging.StreamLog? Log { get; set; }

    /// <summary>Returns the bytes moved since the previous call.</summary>
    public (long In, long Out) TakeDelta()
    {
        var received = Volatile.Read(ref _in);
        var sent = Volatile.Read(ref _out);
        return (received - Interlocked.Exchange(ref _inTaken, received), sent - Interlocked.Exchange(ref _outTaken, sent));
    }

    /// <inheritdoc />
    PipeWriter Transport.IDirectSendFeature.Output => Output;

    /// <summary>Sends straight to the socket (<see cref="Transport.IDirectSendFeature.TrySend"/>), counting what went out.</summary>
    /// <returns>Bytes sent; 0 when the transport is not the socket's own or cannot send now.</returns>
    public int TrySend(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third)
    {
        var sent = _direct?.TrySend(first, second, third) ?? 0;
        if (sent > 0)
        {
            AddOut(sent);
        }

        return sent;
    }

    private void AddIn(long bytes) => Interlocked.Add(ref _in, bytes);

    private void AddOut(long bytes) => Interlocked.Add(ref _out, bytes);

    /// <summary>
    /// Counts consumed bytes. A read that has to wait (every request on a keep-alive connection) is handed to the
    /// caller as this reader's own <see cref="IValueTaskSource{TResult}"/> over the inner read: no async frame in
    /// between, nothing allocated; the continuation runs where the inner read completes (inline on the transport).
    /// </summary>
    private sealed class CountingPipeReader : PipeReader, IValueTaskSource<ReadResult>
    {
        private readonly PipeReader _inner;
        private readonly ConnectionByteCounter _owner;
        private readonly Action _onInnerCompleted;
        private ReadOnlySequence<byte> _last;
        private ValueTask<ReadResult> _pending;
        private Action<object?>? _continuation;
        private object? _continuationState;
        private short _token;

        public CountingPipeReader(PipeReader inner, ConnectionByteCounter owner)
        {
            _inner = inner;
            _owner = owner;
            _onInnerCompleted = OnInnerCompleted;
        }

        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            var pending = _inner.ReadAsync(cancellationToken);
            if (pending.IsCompletedSuccessfully)
            {
                var result = pending.Result;
                _last = result.Buffer;
                Received(result);
                return new ValueTask<ReadResult>(result);
            }

            _pending = pending; // one read at a time (the PipeReader contract)
            return new ValueTask<ReadResult>(this, ++_token);
        }

        public override bool TryRead(out ReadResult result)
        {
            if (_inner.TryRead(out result))
            {
                _last = result.Buffer;
                Received(result);
                return true;
            }

            return false;
        }

        public override void AdvanceTo(SequencePosition consumed)
        {
            Count(consumed);
            _inner.AdvanceTo(consumed);
        }

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            Count(consumed);
            _inner.AdvanceTo(consumed, examined);
        }

        public override void CancelPendingRead() => _inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => _inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => _inner.CompleteAsync(exception);

        ReadResult IValueTaskSource<ReadResult>.GetResult(short token)
        {
            var pending = _pending;
            _pending = default;
            var result = pending.Result; // the inner read's result, taken once; throws as the inner read did
            _last = result.Buffer;
            Received(result);
            return result;
        }

        ValueTaskSourceStatus IValueTaskSource<ReadResult>.GetStatus(short token) =>
            !_pending.IsCompleted ? ValueTaskSourceStatus.Pending
            : _pending.IsCompletedSuccessfully ? ValueTaskSourceStatus.Succeeded
            : _pending.IsCanceled ? ValueTaskSourceStatus.Canceled
            : ValueTaskSourceStatus.Faulted;

        void IValueTaskSource<ReadResult>.OnCompleted(
            Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        {
            // The awaiting state machine restores its own ExecutionContext; a proxy's reads have no scheduling context.
            _continuation = continuation;
            _continuationState = state;
            _pending.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onInnerCompleted);
        }

        private void OnInnerCompleted()
        {
            var (continuation, state) = (_continuation!, _continuationState);
            _continuation = null;
            _continuationState = null;
            continuation(state);
        }

        private void Received(in ReadResult result)
        {
            if (!result.Buffer.IsEmpty)
            {
                _owner.Log?.MarkBytesReceived();
            }
        }

        private void Count(SequencePosition consumed)
        {
            var last = _last;
            if (last.IsEmpty)
            {
                return;
            }

            var bytes = last.Slice(last.Start, consumed).Length;
            if (bytes > 0)
            {
                _owner.AddIn(bytes);
            }

            _last = default;
        }
    }

    private sealed class CountingPipeWriter(PipeWriter inner, ConnectionByteCounter owner) : PipeWriter
    {
        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;

        public override void Advance(int bytes)
        {
            owner.AddOut(bytes);
            inner.Advance(bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) =>
            inner.FlushAsync(cancellationToken);

        public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
        {
            owner.AddOut(source.Length);
            return inner.WriteAsync(source, cancellationToken);
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
    }
}
