using System.Net;
using System.Runtime.InteropServices;

namespace Ballast.DataPlane.Transport;

/// <summary>
/// A non-blocking <c>connect</c> on an <see cref="EventLoop"/>: the socket is registered for <c>EPOLLOUT</c>, the
/// result read from <c>SO_ERROR</c> when it fires; a timeout closes the socket. On success the descriptor goes to an
/// <see cref="EpollConnection"/>.
/// </summary>
internal sealed class Connector : IEpollHandler
{
    private readonly TaskCompletionSource<int> _result = new();
    private int _fd;
    private GCHandle _handle;
    private bool _done;

    private Connector(int fd, EventLoop loop)
    {
        _fd = fd;
        Loop = loop;
    }

    /// <summary>The loop that owns the socket.</summary>
    public EventLoop Loop { get; }

    /// <summary>Starts connecting; null when the socket could not be created or the connect failed at once.</summary>
    /// <param name="endPoint">IPv4 or IPv6 server address.</param>
    /// <param name="loop">The loop to run on.</param>
    public unsafe static Connector? TryStart(IPEndPoint endPoint, EventLoop loop)
    {
        var family = endPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? Libc.AF_INET6 : Libc.AF_INET;
        var fd = Libc.socket(family, Libc.SOCK_STREAM | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            return null;
        }

        var noDelay = 1;
        Libc.setsockopt(fd, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, &noDelay, sizeof(int));
        var address = stackalloc byte[NativeSocketAddress.MaxSize];
        var length = NativeSocketAddress.Write(endPoint, new Span<byte>(address, NativeSocketAddress.MaxSize));
        var connector = new Connector(fd, loop);
        if (Libc.connect(fd, address, length) == 0)
        {
            connector._done = true;
            connector._result.SetResult(fd);
            return connector;
        }

        if (Marshal.GetLastPInvokeError() != Libc.EINPROGRESS)
        {
            Libc.close(fd);
            return null;
        }

        connector._handle = loop.Register(fd, Libc.EPOLLOUT, connector);
        return connector;
    }

    /// <summary>Waits for the connect; the descriptor, or -1 when it failed or took longer than <paramref name="timeout"/>.</summary>
    /// <param name="timeout">HAProxy <c>timeout connect</c>.</param>
    /// <param name="timeProvider">Clock of the timeout.</param>
    public async Task<int> WaitAsync(TimeSpan timeout, TimeProvider timeProvider)
    {
        if (_result.Task.IsCompleted)
        {
            return _result.Task.Result;
        }

        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        await using var registration = deadline.Token.Register(
            static state => ((Connector)state!).Loop.Post(static s => ((Connector)s!).Finish(false), state), this).ConfigureAwait(false);
        return await _result.Task.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public unsafe void OnEvents(uint events)
    {
        var error = 0;
        var length = sizeof(int);
        var ok = Libc.getsockopt(_fd, Libc.SOL_SOCKET, Libc.SO_ERROR, &error, &length) == 0 && error == 0;
        Finish(ok);
    }

    private void Finish(bool connected)
    {
        if (_done)
        {
            return;
        }

        _done = true;
        Loop.Unregister(_fd, _handle);
        var fd = _fd;
        if (!connected)
        {
            Libc.close(fd);
            fd = -1;
        }

        _fd = -1;
        _result.SetResult(fd);
    }
}
