using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Ballast.DataPlane.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Ballast.DataPlane.Tests.Transport;

/// <summary>
/// The epoll transport on real loopback sockets: bytes in order both ways under backpressure, FIN and half-close,
/// abort, outgoing connects, unbind. Every HTTP and TCP test of the node runs on it too (it is the node's default).
/// </summary>
public sealed class EpollTransportTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly ErrorLog _errors = new();
    private readonly EpollTransport _transport;
    private IConnectionListener _listener = null!;
    private int _port;

    public EpollTransportTests()
    {
        _transport = new EpollTransport(1, new LoggerFactory([_errors])) { LingerTime = TimeSpan.FromMilliseconds(300) };
    }

    public async Task InitializeAsync()
    {
        Assert.True(EpollTransport.IsSupported, "the transport runs on Linux x86-64, like CI");
        _listener = await _transport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        _port = ((IPEndPoint)_listener.EndPoint).Port;
    }

    public async Task DisposeAsync()
    {
        await _listener.DisposeAsync();
        _transport.Dispose();
Assert.Empty(_errors.Errors); // no handler of the loop failed
    }

    [Fact]
    public async Task AcceptedConnection_EchoesBytesAndKnowsBothEndPoints()
    {
        using var client = await ConnectClientAsync();
        await using var connection = await AcceptAsync();

        await client.SendAsync("hello"u8.ToArray(), SocketFlags.None);
        var read = await ReadAtLeastAsync(connection.Transport.Input, 5);
        await connection.Transport.Output.WriteAsync(read);

        var echoed = new byte[5];
        await new NetworkStream(client).ReadExactlyAsync(echoed).AsTask().WaitAsync(Bound);
        Assert.Equal("hello", System.Text.Encoding.ASCII.GetString(echoed));
        Assert.Equal(client.LocalEndPoint, connection.RemoteEndPoint);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, _port), connection.LocalEndPoint);
    }

    [Fact]
    public async Task LargeTransfers_WithSlowReaders_KeepEveryByteInOrder()
    {
        var upload = RandomNumberGenerator.GetBytes(6 * 1024 * 1024); // past the 1 MB input pause threshold
        var download = RandomNumberGenerator.GetBytes(6 * 1024 * 1024); // fills the socket buffer: send waits for EPOLLOUT
        using var client = await ConnectClientAsync();
        await using var connection = await AcceptAsync();

        var sending = client.SendAsync(upload, SocketFlags.None);
        var received = new MemoryStream();
        while (received.Length < upload.Length)
        {
            var result = await connection.Transport.Input.ReadAsync().AsTask().WaitAsync(Bound);
            foreach (var segment in result.Buffer)
            {
                received.Write(segment.Span);
            }

            connection.Transport.Input.AdvanceTo(result.Buffer.End);
            await Task.Delay(1); // a slow reader: the pipe fills and reading pauses
        }

        await sending;
        Assert.Equal(SHA256.HashData(upload), SHA256.HashData(received.ToArray()));

        var writing = connection.Transport.Output.WriteAsync(download).AsTask();
        var got = new byte[download.Length];
        for (var offset = 0; offset < got.Length;)
        {
            offset += await client.ReceiveAsync(got.AsMemory(offset, Math.Min(8192, got.Length - offset)), SocketFlags.None);
            await Task.Delay(offset % (512 * 1024) < 8192 ? 5 : 0); // a slow client
        }

        await writing.WaitAsync(Bound);
        Assert.Equal(SHA256.HashData(download), SHA256.HashData(got));
    }

    [Fact]
    public async Task DataFollowedByFin_IsReadToTheEndAndFiresConnectionClosed()
    {
        using var client = await ConnectClientAsync();
        await using var connection = await AcceptAsync();
        var closed = new TaskCompletionSource();
        connection.ConnectionClosed.Register(() => closed.TrySetResult());

        await client.SendAsync(new byte[70_000], SocketFlags.None); // more than one read, then the FIN in the same edge
        client.Shutdown(SocketShutdown.Send);

        long total = 0;
        while (true)
        {
            var result = await connection.Transport.Input.ReadAsync().AsTask().WaitAsync(Bound);
            total += result.Buffer.Length;
            connection.Transport.Input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        Assert.Equal(70_000, total);
        await closed.Task.WaitAsync(Bound);
    }

    [Fact]
    public async Task DisposeFromTheReadContinuation_StopsReadingTheClosedSocket()
    {
        using var client = await ConnectClientAsync();
        var connection = await AcceptAsync();
        var disposed = new TaskCompletionSource();
        var reading = Task.Run(async () =>
        {
            // ConfigureAwait(false): the continuation runs inline on the loop, inside its read, as the fast path's does.
            await connection.Transport.Input.ReadAsync().ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            disposed.TrySetResult();
        });

        await Task.Delay(50); // the read is pending: the data's edge runs its continuation inline
        var busy = new ManualResetEventSlim();
        _transport.NextLoop().Post(_ => busy.Wait(Bound), null); // hold the loop so the data and the FIN make one edge
        await client.SendAsync(new byte[100], SocketFlags.None);
        client.Shutdown(SocketShutdown.Send); // with the FIN in the edge the loop reads on past a short read
        busy.Set();

        await disposed.Task.WaitAsync(Bound);
        await reading;
        Assert.Empty(await ReceiveToEndAsync(client));
        await Task.Delay(50); // the loop's batch is over
    }

    [Fact]
    public async Task CompletedOutput_SendsFinAndKeepsReading()
    {
        using var client = await ConnectClientAsync();
        await using var connection = await AcceptAsync();

        await connection.Transport.Output.WriteAsync("bye"u8.ToArray());
        await connection.Transport.Output.CompleteAsync();

        Assert.Equal("bye", System.Text.Encoding.ASCII.GetString(await ReceiveToEndAsync(client)));
        await client.SendAsync("still here"u8.ToArray(), SocketFlags.None);
        var read = await ReadAtLeastAsync(connection.Transport.Input, 10);
        Assert.Equal("still here", System.Text.Encoding.ASCII.GetString(read));
    }

    [Fact]
    public async Task Abort_ClosesTheClientAndFailsThePendingRead()
    {
        using var client = await ConnectClientAsync();
        var connection = await AcceptAsync();
        var pending = connection.Transport.Input.ReadAsync().AsTask();

        connection.Abort(new ConnectionAbortedException("test abort"));

        var error = await Assert.ThrowsAsync<ConnectionAbortedException>(() => pending.WaitAsync(Bound));
        Assert.Equal("test abort", error.Message);
        Assert.Empty(await ReceiveToEndAsync(client));
        await connection.DisposeAsync().AsTask().WaitAsync(Bound);
    }

    [Fact]
    public async Task Dispose_WithOutputThePeerNeverReads_ResetsAfterTheLingerTime()
    {
        using var client = await ConnectClientAsync(); // never reads
        var connection = await AcceptAsync();
        var writing = connection.Transport.Output.WriteAsync(new byte[8 * 1024 * 1024]).AsTask(); // more than the socket buffers hold

        await connection.DisposeAsync().AsTask().WaitAsync(Bound);

        var error = await Assert.ThrowsAsync<ConnectionAbortedException>(() => writing.WaitAsync(Bound)); // the writer learns why
        Assert.Contains("linger", error.Message);
        var buffer = new byte[64 * 1024];
        long total = 0;
        var reset = false;
        using var timeout = new CancellationTokenSource(Bound);
        try
        {
            int read;
            while ((read = await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                total += read;
            }
        }
        catch (SocketException)
        {
            reset = true;
        }

        Assert.True(reset || total < 8 * 1024 * 1024, $"the peer got everything ({total} bytes) instead of a reset");
    }

    [Fact]
    public async Task ConnectAsync_ReachesAListenerOnTheSameLoop()
    {
        var outgoing = await _transport.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _port), TimeSpan.FromSeconds(5), TimeProvider.System);
        Assert.NotNull(outgoing);
        await using var accepted = await AcceptAsync();
        await using var connection = outgoing;

        await connection.Transport.Output.WriteAsync("ping"u8.ToArray());
        Assert.Equal("ping", System.Text.Encoding.ASCII.GetString(await ReadAtLeastAsync(accepted.Transport.Input, 4)));
        await accepted.Transport.Output.WriteAsync("pong"u8.ToArray());
        Assert.Equal("pong", System.Text.Encoding.ASCII.GetString(await ReadAtLeastAsync(connection.Transport.Input, 4)));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, _port), connection.RemoteEndPoint);
        Assert.Equal(accepted.RemoteEndPoint, connection.LocalEndPoint);
    }

    [Fact]
    public async Task ConnectAsync_ToAClosedPort_ReturnsNull()
    {
        var connection = await _transport.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Ports.GetClosedPort()), TimeSpan.FromSeconds(5), TimeProvider.System);

        Assert.Null(connection);
    }

    [Fact]
    public async Task Unbind_StopsAcceptingAndEndsAccept()
    {
        var accepting = _listener.AcceptAsync().AsTask();

        await _listener.UnbindAsync();

        Assert.Null(await accepting.WaitAsync(Bound));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, _port));
    }

    private sealed class ErrorLog : ILoggerProvider, ILogger
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Errors { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error)
            {
                Errors.Enqueue(formatter(state, exception) + " " + exception);
            }
        }

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task DirectSend_OnItsLoop_SendsEveryPieceInOrder()
    {
        using var client = await ConnectClientAsync();
        await using var connection = await AcceptAsync();
        var direct = Assert.IsAssignableFrom<IDirectSendFeature>(connection.Features.Get<IDirectSendFeature>());
        Assert.Same(connection.Transport.Output, direct.Output);

        var sent = await OnLoopAsync(() => direct.TrySend("GET / HTTP/1.1\r\n"u8, "X-A: 1\r\n"u8, "\r\n"u8));
        await connection.Transport.Output.WriteAsync("tail"u8.ToArray()); // the pipe's bytes follow

        Assert.Equal(26, sent);
        var got = new byte[30];
        await new NetworkStream(client).ReadExactlyAsync(got).AsTask().WaitAsync(Bound);
        Assert.Equal("GET / HTTP/1.1\r\nX-A: 1\r\n\r\ntail", System.Text.Encoding.ASCII.GetString(got));
    }

    [Fact]
    public async Task DirectSend_OffItsLoop_OrAfterTheOutputCompleted_SendsNothing()
    {
        using var client = await ConnectClientAsync();
        await using var connection = await AcceptAsync();
        var direct = connection.Features.Get<IDirectSendFeature>()!;

        Assert.Equal(0, direct.TrySend("off the loop"u8, default, default));
        await connection.Transport.Output.CompleteAsync();
        Assert.Equal(0, await OnLoopAsync(() => direct.TrySend("after the end"u8, default, default)));

        Assert.Empty(await ReceiveToEndAsync(client).WaitAsync(Bound)); // only the FIN came
    }

    [Fact]
    public async Task DirectSend_WhileEarlierOutputWaitsForTheSocket_SendsNothing_AndOrderIsKept()
    {
        var payload = RandomNumberGenerator.GetBytes(32 * 1024 * 1024); // more than the socket buffers: the sender waits for EPOLLOUT
        using var client = await ConnectClientAsync();
        await using var connection = await AcceptAsync();
        var direct = connection.Features.Get<IDirectSendFeature>()!;

        var writing = connection.Transport.Output.WriteAsync(payload).AsTask();
        var sent = await OnLoopAsync(() => direct.TrySend("must not overtake"u8, default, default));
        Assert.Equal(0, sent);

        var got = new byte[payload.Length];
        await new NetworkStream(client).ReadExactlyAsync(got).AsTask().WaitAsync(Bound);
        await writing.WaitAsync(Bound);
        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(got));
    }

    [Fact]
    public async Task OutputWriteAsync_OnItsLoop_AfterUnflushedBytes_KeepsTheirOrder()
    {
        using var client = await ConnectClientAsync();
        await using var connection = await AcceptAsync();
        var output = connection.Transport.Output;

        var flushed = await OnLoopAsync(() =>
        {
            output.Write("first "u8); // written, not flushed: a direct send of the next write would overtake it
            return output.WriteAsync("second"u8.ToArray());
        });
        await flushed;

        var got = new byte[12];
        await new NetworkStream(client).ReadExactlyAsync(got).AsTask().WaitAsync(Bound);
        Assert.Equal("first second", System.Text.Encoding.ASCII.GetString(got));
    }

    /// <summary>Runs <paramref name="action"/> on the transport's (only) event loop.</summary>
    private Task<T> OnLoopAsync<T>(Func<T> action)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _transport.NextLoop().Post(
            _ =>
            {
                try
                {
                    done.SetResult(action());
                }
                catch (Exception ex)
                {
                    done.SetException(ex);
                }
            },
            null);
        return done.Task.WaitAsync(Bound);
    }

    private async Task<Socket> ConnectClientAsync()
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, _port);
        return client;
    }

    private async Task<ConnectionContext> AcceptAsync()
    {
        var connection = await _listener.AcceptAsync().AsTask().WaitAsync(Bound);
        Assert.NotNull(connection);
        return connection;
    }

    private static async Task<byte[]> ReadAtLeastAsync(PipeReader input, int count)
    {
        var result = await input.ReadAtLeastAsync(count).AsTask().WaitAsync(Bound);
        var bytes = result.Buffer.Slice(0, count).ToArray();
        input.AdvanceTo(result.Buffer.GetPosition(count));
        return bytes;
    }

    private static async Task<byte[]> ReceiveToEndAsync(Socket socket)
    {
        var all = new MemoryStream();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(Bound);
        while (true)
        {
            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            }
            catch (SocketException)
            {
                return all.ToArray(); // a reset ends the stream too
            }

            if (read == 0)
            {
                return all.ToArray();
            }

            all.Write(buffer, 0, read);
        }
    }
}
