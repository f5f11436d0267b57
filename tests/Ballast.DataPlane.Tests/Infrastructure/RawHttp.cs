using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ballast.DataPlane.Tests.Infrastructure;

/// <summary>
/// A minimal HTTP/1.1 client over a raw socket: the request-target and header lines are sent exactly as given (no
/// normalisation), optionally from a chosen local address (any 127.0.0.0/8 address works on Linux), with
/// <c>Connection: close</c>; the answer is read to the end.
/// </summary>
public static class RawHttp
{
    /// <summary>Sends one request; returns "status body".</summary>
    public static async Task<string> GetAsync(int port, string target, IEnumerable<string>? headerLines = null, IPAddress? from = null, string? host = "localhost")
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }

        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
        var request = new StringBuilder();
        request.Append("GET ").Append(target).Append(" HTTP/1.1\r\n");
        if (host is not null)
        {
            request.Append("Host: ").Append(host).Append("\r\n");
        }

        foreach (var line in headerLines ?? [])
        {
            request.Append(line).Append("\r\n");
        }

        request.Append("Connection: close\r\n\r\n");
        await socket.SendAsync(Encoding.Latin1.GetBytes(request.ToString()), SocketFlags.None, timeout.Token);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (n == 0)
            {
                break;
            }

            received.Write(buffer, 0, n);
        }

        var text = Encoding.Latin1.GetString(received.ToArray());
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var statusLine = text.Split("\r\n")[0].Split(' ');
        var status = statusLine.Length > 1 ? statusLine[1] : "?";
        return headerEnd < 0 ? $"{status} <no body>" : $"{status} {text[(headerEnd + 4)..]}";
    }
}
