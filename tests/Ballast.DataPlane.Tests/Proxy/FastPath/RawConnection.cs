using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Ballast.DataPlane.Tests.Proxy.FastPath;

/// <summary>
/// A raw HTTP/1.1 client connection for framing tests: sends bytes exactly as given and reads responses one at a
/// time by their framing (Content-Length, chunked, or until close; none for HEAD/1xx/204/304). Over plain TCP or TLS
/// (<see cref="ConnectTlsAsync"/>).
/// </summary>
internal sealed class RawConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(20));
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private readonly SslStream? _tls;

    private RawConnection(Socket socket, SslStream? tls = null)
    {
        _socket = socket;
        _tls = tls;
    }

    /// <summary>The TLS session (null on a plain connection).</summary>
    public SslStream? Tls => _tls;

    public static async Task<RawConnection> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return new RawConnection(socket);
    }

    /// <summary>Connects over TLS offering <paramref name="alpn"/> (none when null), accepting any certificate.</summary>
    public static async Task<RawConnection> ConnectTlsAsync(int port, List<SslApplicationProtocol>? alpn = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await tls.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ApplicationProtocols = alpn,
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            },
            timeout.Token);
        return new RawConnection(socket, tls);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        if (_tls is null)
        {
            await _socket.SendAsync(bytes, SocketFlags.None, _timeout.Token);
            return;
        }

        await _tls.WriteAsync(bytes, _timeout.Token);
        await _tls.FlushAsync(_timeout.Token);
    }

    /// <summary>Shuts down the sending side (the client's FIN) or resets the connection.</summary>
    public void Close(bool reset)
    {
        if (reset)
        {
            _socket.LingerState = new LingerOption(true, 0);
        }

        _socket.Close();
    }

    /// <summary>Reads one response: (status, headers text, body). <paramref name="head"/> = answer to a HEAD request.</summary>
    public async Task<(int Status, string Headers, byte[] Body)> ReadResponseAsync(bool head = false)
    {
        var headEnd = await FillUntilAsync("\r\n\r\n"u8.ToArray());
        var headText = Encoding.Latin1.GetString(_buffer, _start, headEnd - _start);
        _start = headEnd + 4;
        var status = int.Parse(headText.AsSpan(9, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
        var lower = headText.ToLowerInvariant();
        if (head || status < 200 || status is 204 or 304)
        {
            return (status, headText, []);
        }

        var contentLength = HeaderValue(lower, "content-length");
        if (contentLength is not null)
        {
            return (status, headText, await ReadExactlyAsync(int.Parse(contentLength, System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (HeaderValue(lower, "transfer-encoding")?.Contains("chunked", StringComparison.Ordinal) == true)
        {
            var body = new MemoryStream();
            while (true)
            {
                var lineEnd = await FillUntilAsync("\r\n"u8.ToArray());
                var size = Convert.ToInt32(Encoding.Latin1.GetString(_buffer, _start, lineEnd - _start).Split(';')[0], 16);
                _start = lineEnd + 2;
                if (size == 0)
                {
                    var trailerEnd = await FillUntilAsync("\r\n"u8.ToArray());
                    _start = trailerEnd + 2; // no trailers in these tests
                    return (status, headText, body.ToArray());
                }

                body.Write(await ReadExactlyAsync(size));
                await FillAtLeastAsync(2);
                _start += 2;
            }
        }

        var rest = new MemoryStream();
        while (await ReadMoreAsync())
        {
        }

        rest.Write(_buffer, _start, _end - _start);
        _start = _end;
        return (status, headText, rest.ToArray());
    }

    /// <summary>Whether the proxy closed the connection (reads EOF within the timeout).</summary>
    public async Task<bool> IsClosedByPeerAsync()
    {
        try
        {
            return !await ReadMoreAsync();
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        _tls?.Dispose();
        _socket.Dispose();
        _timeout.Dispose();
    }

    private static string? HeaderValue(string lowerHead, string name)
    {
        foreach (var line in lowerHead.Split("\r\n"))
        {
            if (line.StartsWith(name + ":", StringComparison.Ordinal))
            {
                return line[(name.Length + 1)..].Trim();
            }
        }

        return null;
    }

    private async Task<byte[]> ReadExactlyAsync(int count)
    {
        await FillAtLeastAsync(count);
        var result = _buffer.AsSpan(_start, count).ToArray();
        _start += count;
        return result;
    }

    private async Task<bool> FillAtLeastAsync(int count)
    {
        while (_end - _start < count)
        {
            if (!await ReadMoreAsync())
            {
                throw new EndOfStreamException($"connection closed with {_end - _start} of {count} bytes");
            }
        }

        return true;
    }

    private async Task<int> FillUntilAsync(byte[] delimiter)
    {
        while (true)
        {
            var index = _buffer.AsSpan(_start, _end - _start).IndexOf(delimiter);
            if (index >= 0)
            {
                return _start + index;
            }

            if (!await ReadMoreAsync())
            {
                throw new EndOfStreamException("connection closed before the delimiter");
            }
        }
    }

    private async Task<bool> ReadMoreAsync()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var n = _tls is null
            ? await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, _timeout.Token)
            : await _tls.ReadAsync(_buffer.AsMemory(_end), _timeout.Token);
        _end += n;
        return n > 0;
    }
}
