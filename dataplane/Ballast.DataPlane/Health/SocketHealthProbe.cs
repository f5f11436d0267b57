using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ballast.DataPlane.Health;

/// <summary>
/// Health checks over a raw socket, so layer-4 and layer-7 failures get HAProxy's distinct codes:
/// a TCP check (HAProxy <c>check</c>) passes with <c>L4OK</c> once connected; an HTTP check
/// (<c>option httpchk</c>) then sends <c>&lt;method&gt; &lt;path&gt; HTTP/1.1</c> with <c>Host</c> and
/// <c>Connection: close</c> and reads the status line: <c>L7OK</c> when the status is expected (any 2xx/3xx by
/// default), <c>L7STS</c> otherwise, <c>L7RSP</c> for a malformed or missing status line, <c>L7TOUT</c> when the
/// timeout expires after the connect, <c>L4TOUT</c> during it, <c>L4CON</c> for refused/unreachable,
/// <c>SOCKERR</c> for other socket errors.
/// </summary>
internal sealed class SocketHealthProbe(TimeProvider timeProvider) : IHealthProbe
{
    private const int MaxStatusLineBytes = 1024;

    /// <summary>Bytes read for <c>http-check expect string</c>, as HAProxy's check buffer (<c>tune.bufsize</c> 16384).</summary>
    private const int MaxResponseBytes = 16384;

    /// <inheritdoc />
    public async ValueTask<CheckResult> CheckAsync(string address, int port, HealthCheckSettings settings, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        using var timeout = new CancellationTokenSource(settings.Timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var token = linked.Token;
        Socket? socket = null;
        try
        {
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }; // EMFILE/ENFILE: SOCKERR below
            try
            {
                if (IPAddress.TryParse(address, out var ip))
                {
                    await socket.ConnectAsync(new IPEndPoint(ip, port), token).ConfigureAwait(false);
                }
                else
                {
                    await socket.ConnectAsync(address, port, token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Result(CheckStatus.L4Timeout, 0, "connection timeout");
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.HostUnreachable
                or SocketError.NetworkUnreachable or SocketError.HostNotFound or SocketError.TryAgain
                or SocketError.ConnectionReset or SocketError.AddressNotAvailable or SocketError.NoData)
            {
                return Result(CheckStatus.L4Connection, 0, ex.Message);
            }

            if (settings.Kind == HealthCheckKind.Tcp)
            {
                return Result(CheckStatus.L4Ok, 0, null);
            }

            var request = Encoding.ASCII.GetBytes(
                $"{settings.HttpMethod} {settings.HttpPath} HTTP/1.1\r\nHost: {HostHeader(address, port)}\r\nConnection: close\r\nUser-Agent: ballast-check\r\n\r\n");
            var limit = settings.NeedsBody ? MaxResponseBytes : MaxStatusLineBytes;
            var buffer = ArrayPool<byte>.Shared.Rent(limit);
            try
            {
                await socket.SendAsync(request, SocketFlags.None, token).ConfigureAwait(false);
                var length = 0;
                while (length < limit)
                {
                    var read = await socket.ReceiveAsync(buffer.AsMemory(length, limit - length), SocketFlags.None, token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                    if (settings.NeedsBody ? IsComplete(buffer.AsSpan(0, length)) : buffer.AsSpan(0, length).IndexOf((byte)'\n') >= 0)
                    {
                        break;
                    }
                }

                if (!TryParseStatus(buffer.AsSpan(0, length), out var status))
                {
                    return Result(CheckStatus.L7Response, 0, length == 0 ? "empty response" : "invalid HTTP status line");
                }

                if (!settings.IsExpected(status))
                {
                    return Result(CheckStatus.L7Status, status, $"unexpected status {status}");
                }

                if (settings.NeedsBody && !BodyContains(buffer.AsSpan(0, length), settings.ExpectValue))
                {
                    // HAProxy: a content mismatch of an expect rule is a protocol-level failure (L7RSP).
                    return Result(CheckStatus.L7Response, status, $"response body does not contain '{settings.ExpectValue}'");
                }

                return Result(CheckStatus.L7Ok, status, null);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Result(CheckStatus.L7Timeout, 0, "response timeout");
            }
            catch (SocketException ex)
            {
                return Result(CheckStatus.L7Response, 0, ex.Message);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        catch (SocketException ex)
        {
            return Result(CheckStatus.SocketError, 0, ex.Message);
        }
        finally
        {
            socket?.Dispose();
        }

        CheckResult Result(CheckStatus status, int code, string? detail) =>
            new(status, code, timeProvider.GetElapsedTime(started), detail);
    }

    /// <summary>Parses the status code of an HTTP/1.x status line (<c>HTTP/1.1 200 OK</c>).</summary>
    /// <param name="data">The bytes received so far.</param>
    /// <param name="status">The status code.</param>
    internal static bool TryParseStatus(ReadOnlySpan<byte> data, out int status)
    {
        status = 0;
        if (data.Length < 12 || !data.StartsWith("HTTP/1."u8) || data[8] != (byte)' ')
        {
            return false;
        }

        for (var i = 9; i < 12; i++)
        {
            if (data[i] is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            status = (status * 10) + (data[i] - '0');
        }

        return (data.Length == 12 || data[12] is (byte)' ' or (byte)'\r' or (byte)'\n') && status is >= 100 and <= 599;
    }

    /// <summary>Whether the body (after the first empty line) of a raw HTTP/1.x response contains <paramref name="text"/>.</summary>
    /// <param name="response">The response bytes.</param>
    /// <param name="text">The expected text.</param>
    internal static bool BodyContains(ReadOnlySpan<byte> response, string text)
    {
        var end = response.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return false;
        }

        return response[(end + 4)..].IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
    }

    /// <summary>
    /// Whether a raw HTTP/1.x response is complete without waiting for the close: headers ended and a
    /// <c>Content-Length</c> body fully received (otherwise the read goes on until the server closes).
    /// </summary>
    /// <param name="response">The bytes received so far.</param>
    internal static bool IsComplete(ReadOnlySpan<byte> response)
    {
        var end = response.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return false;
        }

        var headers = Encoding.ASCII.GetString(response[..end]);
        foreach (var line in headers.Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(line.AsSpan(colon + 1).Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length))
            {
                return response.Length - (end + 4) >= length;
            }
        }

        return false;
    }

    private static string HostHeader(string address, int port) =>
        IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{ip}]:{port}"
            : $"{address}:{port}";
}
