using System.Net;
using System.Net.Sockets;
using System.Text;
using Ballast.DataPlane.Tests.Infrastructure;

namespace Ballast.DataPlane.Tests.ProxyProtocol;

/// <summary>Raw-socket helpers of the PROXY protocol and timeout tests.</summary>
internal static class ProxyWire
{
    /// <summary>Sends <paramref name="prefix"/> then an HTTP/1.1 GET with Connection: close; returns the whole answer ("" when closed without one).</summary>
    public static async Task<string> SendAsync(int port, byte[] prefix, string target = "/", IPAddress? from = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var socket = await ConnectAsync(port, from, timeout.Token);
        var request = Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        await socket.SendAsync(prefix.Concat(request).ToArray(), SocketFlags.None, timeout.Token);
        return await ReadAllAsync(socket, timeout.Token);
    }

    /// <summary>A connected client socket, optionally bound to <paramref name="from"/>.</summary>
    public static async Task<Socket> ConnectAsync(int port, IPAddress? from, CancellationToken token)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }

        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), token);
        return socket;
    }

    /// <summary>Reads until the peer closes (a reset counts as closed).</summary>
    public static async Task<string> ReadAllAsync(Socket socket, CancellationToken token)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, token);
                if (n == 0)
                {
                    break;
                }

                received.Write(buffer, 0, n);
            }
        }
        catch (SocketException)
        {
        }

        return Encoding.Latin1.GetString(received.ToArray());
    }

    /// <summary>
    /// An HTTP server over raw TCP: for each request it answers 200 with, as body, everything it received before the
    /// request's blank line (a PROXY header included), keeping the connection open for more requests.
    /// </summary>
    public static TestTcpServer HeadEchoServer() => TestTcpServer.Start(async (socket, token) =>
    {
        var pending = new StringBuilder();
        var buffer = new byte[4096];
        while (true)
        {
            var text = pending.ToString();
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var head = text[..end];
                pending.Remove(0, end + 4);
                var body = Encoding.Latin1.GetBytes(head);
                var response = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nContent-Type: text/plain\r\n\r\n");
                await socket.SendAsync(response.Concat(body).ToArray(), SocketFlags.None, token);
                continue;
            }

            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, token);
            if (n == 0)
            {
                return;
            }

            pending.Append(Encoding.Latin1.GetString(buffer, 0, n));
        }
    });

    /// <summary>The body of an HTTP/1.1 answer ("" when none).</summary>
    public static string Body(string response)
    {
        var end = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return end < 0 ? string.Empty : response[(end + 4)..];
    }
}
