using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Ballast.DataPlane.Transport;

/// <summary>
/// A listening socket of <see cref="EpollTransport"/>: accepted on its loop's readiness (<c>accept4</c> until
/// <c>EAGAIN</c>, non-blocking, <c>TCP_NODELAY</c> as Kestrel), each connection handed to the next loop and queued
/// for Kestrel's <see cref="AcceptAsync"/>.
/// </summary>
internal sealed class EpollListener : IConnectionListener, IEpollHandler
{
    private readonly Socket _socket;
    private readonly int _fd;
    private readonly EpollTransport _transport;
    private readonly EventLoop _loop;
    private readonly Channel<EpollConnection> _accepted = Channel.CreateUnbounded<EpollConnection>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true, AllowSynchronousContinuations = true });
    private readonly IPEndPoint? _localAny;
    private GCHandle _handle;
    private int _unbound;
    private int _retryPending;

    /// <summary>Binds and listens on <paramref name="endPoint"/> (as Kestrel: dual-mode for <c>[::]</c>).</summary>
    /// <param name="endPoint">The address.</param>
    /// <param name="backlog">Listen backlog (Kestrel's default 512).</param>
    /// <param name="transport">The transport (loops, ids).</param>
    /// <exception cref="SocketException">Bind failed (e.g. address in use).</exception>
    public EpollListener(IPEndPoint endPoint, int backlog, EpollTransport transport)
    {
        _transport = transport;
        _socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endPoint);
        _socket.Listen(backlog);
        _socket.Blocking = false;
        _fd = (int)_socket.Handle;
        EndPoint = _socket.LocalEndPoint!;
        var bound = (IPEndPoint)EndPoint;
        // Connections to a wildcard bind ask the kernel for their local address; others share the bind's.
        _localAny = bound.Address.Equals(IPAddress.Any) || bound.Address.Equals(IPAddress.IPv6Any) ? null : bound;
        _loop = transport.NextLoop();
        _handle = _loop.Register(_fd, Libc.EPOLLIN, this);
    }

    /// <inheritdoc />
    public EndPoint EndPoint { get; }

    /// <inheritdoc />
    public unsafe void OnEvents(uint events)
    {
        var address = stackalloc byte[NativeSocketAddress.MaxSize];
        while (Volatile.Read(ref _unbound) == 0)
        {
            var length = NativeSocketAddress.MaxSize;
            var fd = Libc.accept4(_fd, address, &length, Libc.O_NONBLOCK | Libc.O_CLOEXEC);
            if (fd < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno is Libc.EINTR or Libc.ECONNABORTED)
                {
                    continue; // interrupted, or a client that reset before we accepted it
                }

                if (errno != Libc.EAGAIN)
                {
                    // EMFILE, ENFILE, ENOBUFS, ENOMEM: the pending clients stay in the backlog, and an edge-triggered
                    // listener gets no new edge for them: retry after a pause instead of waiting for the next client.
                    RetryLater(errno);
                }

                return; // EAGAIN: drained
            }

            var noDelay = 1;
            Libc.setsockopt(fd, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, &noDelay, sizeof(int));
            var remote = NativeSocketAddress.Read(new ReadOnlySpan<byte>(address, length));
            var connection = new EpollConnection(fd, _transport.NextLoop(), remote, _localAny, _transport);
            try
            {
                connection.Start();
            }
            catch (InvalidOperationException)
            {
                Libc.close(fd); // epoll refused it (no memory): drop this client, keep accepting
                continue;
            }

            if (!_accepted.Writer.TryWrite(connection))
            {
                _ = connection.DisposeAsync().AsTask();
            }
        }
    }

    /// <summary>Accepts again after <see cref="AcceptRetryDelay"/>, on the loop (descriptor or memory exhaustion).</summary>
    private void RetryLater(int errno)
    {
        if (Interlocked.Exchange(ref _retryPending, 1) != 0)
        {
            return; // one retry at a time, however many clients arrive meanwhile
        }

        _transport.ReportAcceptFailure(EndPoint, errno);
        _ = Task.Delay(AcceptRetryDelay, _transport.TimeProvider).ContinueWith(
            static (_, state) => ((EpollListener)state!)._loop.Post(
                static l =>
                {
                    var listener = (EpollListener)l!;
                    Volatile.Write(ref listener._retryPending, 0);
                    listener.OnEvents(0);
                },
                state),
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Pause before accepting again after accept failed for lack of descriptors or memory.</summary>
    public static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    /// <inheritdoc />
    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _accepted.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _unbound, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _loop.Post(_ =>
        {
            _loop.Unregister(_fd, _handle);
            _socket.Dispose();
            _accepted.Writer.TryComplete();
            closed.TrySetResult();
        }, null);
        return new ValueTask(closed.Task);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await UnbindAsync().ConfigureAwait(false);
        while (_accepted.Reader.TryRead(out var connection))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
