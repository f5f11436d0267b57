using System.Net.WebSockets;
using System.Text;
using Ballast.DataPlane.Tests.Infrastructure;
using Ballast.DataPlane.Tests.Tls;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;

namespace Ballast.DataPlane.Tests.Proxy;

/// <summary>
/// Issue 5 "timeout tunnel" for WebSockets in mode http: once upgraded, <c>timeout tunnel</c> replaces
/// <c>timeout server</c> as the idle limit, and an idle tunnel is closed when it expires (HAProxy 2.6).
/// </summary>
public sealed class WebSocketTunnelTimeoutTests : ProxyEngineTestBase
{
    [Fact]
    public async Task TimeoutTunnel_ReplacesAShorterTimeoutServer_AndClosesAnIdleWebSocket()
    {
        var server = Track(await TlsBackend.StartAsync("ws"));
        var port = Ports.GetFreePort();
        var backend = Backend("app", Server("a", server.Port));
        backend.TimeoutServerMs = 300;
        backend.TimeoutTunnelMs = 1500;
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [backend]));
        using var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero; // no pings: the tunnel really is idle
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws"), timeout.Token);
        Assert.Equal("first", await EchoAsync(socket, "first", timeout.Token));

        // Idle longer than timeout server, shorter than timeout tunnel: still open.
        await Task.Delay(700);
        Assert.Equal("second", await EchoAsync(socket, "second", timeout.Token));

        // Idle past timeout tunnel: the proxy closes the tunnel.
        var buffer = new byte[64];
        var closed = false;
        try
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            closed = result.MessageType == WebSocketMessageType.Close;
        }
        catch (WebSocketException)
        {
            closed = true; // closed without a close frame, as HAProxy does at timeout
        }

        Assert.True(closed, "the idle WebSocket stayed open");
        Assert.False(timeout.IsCancellationRequested, "the tunnel was not closed within 10 s");
    }

    private static async Task<string> EchoAsync(ClientWebSocket socket, string text, CancellationToken token)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, token);
        var buffer = new byte[256];
        var received = await socket.ReceiveAsync(buffer, token);
        return Encoding.UTF8.GetString(buffer, 0, received.Count);
    }
}
