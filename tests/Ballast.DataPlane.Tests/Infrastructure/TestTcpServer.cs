using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ballast.DataPlane.Tests.Infrastructure;

/// <summary>
/// A raw TCP server on 127.0.0.1 (port chosen by the OS) running <see cref="Handler"/> for each accepted connection.
/// Helpers give the usual behaviours: echo, answer after the client's FIN, greet with a name.
/// </summary>
public sealed class TestTcpServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Socket> _accepted = [];
    private readonly Task _acceptLoop;
    private int _connections;
    private int _disposed;

    private TestTcpServer(Socket listener, Func<Socket, CancellationToken, Task> handler)
    {
        _listener = listener;
        Handler = handler;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    public Func<Socket, CancellationToken, Task> Handler { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public static TestTcpServer Start(Func<Socket, CancellationToken, Task> handler, int backlog = 512)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(backlog);
        return new TestTcpServer(listener, handler);
    }

    /// <summary>Echoes everything; after the client's FIN, sends its own FIN. With a name, greets with "name\n" first.</summary>
    public static TestTcpServer Echo(string? name = null) => Start(async (socket, token) =>
    {
        if (name is not null)
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes(name + "\n"), SocketFlags.None, token);
        }

        var buffer = new byte[65536];
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, token);
            if (n == 0)
            {
                socket.Shutdown(SocketShutdown.Send);
                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, token);
        }
    });

    /// <summary>Reads until the client's FIN, then answers "received N bytes" and closes.</summary>
    public static TestTcpServer AnswerAfterFin() => Start(async (socket, token) =>
    {
        var total = await ReadToEndAsync(socket, token);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"received {total} bytes"), SocketFlags.None, token);
        socket.Shutdown(SocketShutdown.Send);
    });

    /// <summary>Reads until the peer's FIN; returns the byte count.</summary>
    public static async Task<long> ReadToEndAsync(Socket socket, CancellationToken token)
    {
        var buffer = new byte[65536];
        long total = 0;
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, token);
            if (n == 0)
            {
                return total;
            }

            total += n;
        }
    }

    /// <summary>Reads until the peer's FIN; returns the text.</summary>
    public static async Task<string> ReadTextToEndAsync(Socket socket, CancellationToken token)
    {
        var buffer = new byte[65536];
        var text = new StringBuilder();
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, token);
            if (n == 0)
            {
                return text.ToString();
            }

            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
    }

    /// <summary>Stops listening and closes every accepted connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        _listener.Dispose();
        lock (_accepted)
        {
            foreach (var socket in _accepted)
            {
                socket.Dispose();
            }
        }

        await _acceptLoop;
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            lock (_accepted)
            {
                _accepted.Add(socket);
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    await Handler(socket, _stopping.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                }
                finally
                {
                    socket.Dispose();
                }
            });
        }
    }
}
