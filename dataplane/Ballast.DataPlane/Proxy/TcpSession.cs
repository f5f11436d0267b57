using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Ballast.DataPlane.Stats;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace Ballast.DataPlane.Proxy;

/// <summary>
/// One mode tcp session: relays bytes between a client connection (Kestrel) and a server socket, unchanged, in both
/// directions at once, as HAProxy's tunnel. Client bytes are sent to the server straight from Kestrel's receive
/// buffers; server bytes are received into one pooled buffer (rented only while data flows, after a zero-byte
/// receive says data is there) and sent on the client's socket, so no chunk is copied in user space or allocates.
/// <para>
/// Half-close as HAProxy: when one side shuts down its sending direction (FIN), the other side's sending direction
/// is shut down once everything before the FIN was relayed, and the opposite direction keeps flowing until it ends
/// too. An error or reset on either side, or a timeout, closes both. Timeouts: the client side expires after
/// <c>timeout client</c> without reading from or writing to the client, the server side after <c>timeout server</c>
/// without reading from or writing to the server; a side that has sent its FIN and has nothing pending towards it
/// no longer expires, as HAProxy stops waiting on a closed direction. Bytes are counted (<c>bin</c> from the client,
/// <c>bout</c> to the client) on the frontend, backend and server as they flow.
/// </para>
/// </summary>
internal sealed class TcpSession
{
    /// <summary>Size of the server-to-client buffer (HAProxy relays through 16 KiB buffers; larger means fewer system calls).</summary>
    public const int BufferSize = 64 * 1024;

    private readonly ConnectionContext _client;
    private readonly Socket? _clientSocket;
    private readonly Socket _server;
    private readonly StatCounters _frontend;
    private readonly StatCounters _backend;
    private readonly StatCounters _serverCounters;
    private readonly TimeProvider _timeProvider;
    private readonly long _clientTimeoutTicks;
    private readonly long _serverTimeoutTicks;
    private long _clientActivity;
    private long _serverActivity;
    private volatile bool _clientFin;
    private volatile bool _serverFin;
    private volatile bool _writingToClient;
    private volatile bool _writingToServer;
    private int _closed;

    /// <summary>Creates the session of a connected client and server.</summary>
    /// <param name="client">The client connection.</param>
    /// <param name="server">The connected server socket (owned: disposed by <see cref="RunAsync"/>).</param>
    /// <param name="frontend">Frontend counters.</param>
    /// <param name="backend">Backend counters.</param>
    /// <param name="serverCounters">Server counters.</param>
    /// <param name="clientTimeout">HAProxy <c>timeout client</c>.</param>
    /// <param name="serverTimeout">HAProxy <c>timeout server</c>.</param>
    /// <param name="timeProvider">Clock of the activity timestamps.</param>
    public TcpSession(
        ConnectionContext client,
        Socket server,
        StatCounters frontend,
        StatCounters backend,
        StatCounters serverCounters,
        TimeSpan clientTimeout,
        TimeSpan serverTimeout,
        TimeProvider timeProvider)
    {
        _client = client;
        _clientSocket = client.Features.Get<IConnectionSocketFeature>()?.Socket;
        _server = server;
        _frontend = frontend;
        _backend = backend;
        _serverCounters = serverCounters;
        _timeProvider = timeProvider;
        _clientTimeoutTicks = ToTicks(clientTimeout, timeProvider);
        _serverTimeoutTicks = ToTicks(serverTimeout, timeProvider);
        _clientActivity = _serverActivity = timeProvider.GetTimestamp();
    }

    /// <summary>Why the session ended early, or null while it runs or when both sides closed normally.</summary>
    public string? AbortReason { get; private set; }

    /// <summary>Bytes relayed from the client (for the access log's <c>%U</c>; written by the client reader only).</summary>
    public long BytesIn { get; private set; }

    /// <summary>Bytes relayed to the client (for the access log's <c>%B</c>; written by the server reader only).</summary>
    public long BytesOut { get; private set; }

    /// <summary>Relays until both directions are done (or the session is aborted), then closes the server socket.</summary>
    public async Task RunAsync()
    {
        try
        {
            var upstream = ClientToServerAsync();
            var downstream = ServerToClientAsync();
            await upstream.ConfigureAwait(false);
            await downstream.ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Exchange(ref _closed, 1);
            _server.Dispose();
        }
    }

    /// <summary>Closes both sides now: the server socket and the client connection.</summary>
    /// <param name="reason">Why (kept in <see cref="AbortReason"/>).</param>
    public void Abort(string reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        AbortReason = reason;
        _server.Dispose();
        _client.Abort(new ConnectionAbortedException(reason));
    }

    /// <summary>Aborts the session when a side has been inactive longer than its timeout.</summary>
    /// <param name="now">Current <see cref="TimeProvider.GetTimestamp"/>.</param>
    public void CheckTimeouts(long now)
    {
        if ((!_clientFin || _writingToClient) && now - Volatile.Read(ref _clientActivity) > _clientTimeoutTicks)
        {
            Abort("timeout client");
        }
        else if ((!_serverFin || _writingToServer) && now - Volatile.Read(ref _serverActivity) > _serverTimeoutTicks)
        {
            Abort("timeout server");
        }
    }

    private static long ToTicks(TimeSpan timeout, TimeProvider timeProvider) =>
        (long)(timeout.TotalSeconds * timeProvider.TimestampFrequency);

    private static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    private async Task ClientToServerAsync()
    {
        var input = _client.Transport.Input;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                if (!buffer.IsEmpty)
                {
                    _clientActivity = _timeProvider.GetTimestamp();
                    _writingToServer = true;
                    foreach (var segment in buffer)
                    {
                        await SendAllAsync(_server, segment).ConfigureAwait(false);
                    }

                    _writingToServer = false;
                    _serverActivity = _timeProvider.GetTimestamp();
                    var length = buffer.Length;
                    _frontend.AddBytes(length, 0);
                    _backend.AddBytes(length, 0);
                    _serverCounters.AddBytes(length, 0);
                    BytesIn += length;
                }

                input.AdvanceTo(buffer.End);
                if (result.IsCanceled)
                {
                    Abort("client read cancelled");
                    return;
                }

                if (result.IsCompleted)
                {
                    // Client FIN: pass it on once everything before it reached the server.
                    _clientFin = true;
                    _server.Shutdown(SocketShutdown.Send);
                    return;
                }
            }
        }
        catch (Exception ex)
        {
            // A reset, an aborted connection or a failed send: close both sides (first reason wins).
            Abort($"client side: {ex.Message}");
        }
    }

    private async Task ServerToClientAsync()
    {
        byte[]? buffer = null;
        try
        {
            while (true)
            {
                if (buffer is null)
                {
                    // Wait for data without holding a buffer: an idle session costs no memory.
                    await _server.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                    buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                }

                var received = await _server.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
                _serverActivity = _timeProvider.GetTimestamp();
                if (received == 0)
                {
                    // Server FIN: pass it on to the client; the client may keep sending.
                    _serverFin = true;
                    await ShutdownClientSendAsync().ConfigureAwait(false);
                    return;
                }

                _writingToClient = true;
                await SendToClientAsync(buffer.AsMemory(0, received)).ConfigureAwait(false);
                _writingToClient = false;
                _clientActivity = _timeProvider.GetTimestamp();
                _frontend.AddBytes(0, received);
                _backend.AddBytes(0, received);
                _serverCounters.AddBytes(0, received);
                BytesOut += received;
                if (received < buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }
        }
        catch (Exception ex)
        {
            Abort($"server side: {ex.Message}");
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private ValueTask SendToClientAsync(ReadOnlyMemory<byte> data)
    {
        if (_clientSocket is not null)
        {
            return SendAllAsync(_clientSocket, data);
        }

        return WriteToPipeAsync(_client.Transport.Output, data);

        static async ValueTask WriteToPipeAsync(PipeWriter output, ReadOnlyMemory<byte> data)
        {
            var flush = await output.WriteAsync(data).ConfigureAwait(false);
            if (flush.IsCanceled || flush.IsCompleted)
            {
                throw new ConnectionAbortedException("The client connection is closed.");
            }
        }
    }

    private async ValueTask ShutdownClientSendAsync()
    {
        if (_clientSocket is not null)
        {
            _clientSocket.Shutdown(SocketShutdown.Send);
        }
        else
        {
            // Without the socket (another transport), completing the output is the only way to send a FIN; it
            // closes the whole connection once the client is done.
            await _client.Transport.Output.CompleteAsync().ConfigureAwait(false);
        }
    }
}
