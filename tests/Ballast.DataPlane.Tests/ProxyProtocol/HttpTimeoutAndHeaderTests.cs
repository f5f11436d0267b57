using System.Net.Sockets;
using System.Text;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.ProxyProtocol;

/// <summary><c>timeout http-request</c>, <c>http-keep-alive</c>, <c>tunnel</c>, frontend <c>option forwardfor</c> and <c>option forwarded</c>.</summary>
public sealed class HttpTimeoutAndHeaderTests : ProxyEngineTestBase
{
    [Fact]
    public async Task PartialRequestHeader_GetsClosedAfterTimeoutHttpRequest()
    {
        var backend = await StartBackendAsync("s1");
        var port = Ports.GetFreePort();
        var config = NewConfig([Frontend("web", "app", port)], [Backend("app", Server("s1", backend.Port))]);
        config.Frontends[0].TimeoutHttpRequestMs = 1000;
        await ApplyOkAsync(1, config);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(12)); // the default (timeout client 50 s) would not fire
        using var socket = await ProxyWire.ConnectAsync(port, null, timeout.Token);

        await socket.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: "), SocketFlags.None, timeout.Token);
        var answer = await ProxyWire.ReadAllAsync(socket, timeout.Token);

        Assert.False(timeout.IsCancellationRequested);
        Assert.True(answer.Length == 0 || answer.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), answer);
        Assert.Equal(0, backend.Requests);
    }

    [Fact]
    public async Task IdleKeepAliveConnection_IsClosedAfterTimeoutHttpKeepAlive()
    {
        var backend = await StartBackendAsync("s1");
        var port = Ports.GetFreePort();
        var config = NewConfig([Frontend("web", "app", port)], [Backend("app", Server("s1", backend.Port))]);
        config.Frontends[0].TimeoutHttpKeepAliveMs = 1000;
        await ApplyOkAsync(1, config);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(12));
        using var socket = await ProxyWire.ConnectAsync(port, null, timeout.Token);

        await socket.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"), SocketFlags.None, timeout.Token);
        var answer = await ProxyWire.ReadAllAsync(socket, timeout.Token); // returns once the idle connection is closed

        Assert.False(timeout.IsCancellationRequested);
        Assert.StartsWith("HTTP/1.1 200", answer, StringComparison.Ordinal);
        Assert.EndsWith("s1", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModeTcp_TimeoutTunnelReplacesShorterClientAndServerTimeouts()
    {
        await using var echo = Track(TestTcpServer.Echo());
        var port = Ports.GetFreePort();
        var frontend = Frontend("tcpfe", "tcpbe", port);
        frontend.Mode = V1.Mode.Tcp;
        frontend.TimeoutClientMs = 300;
        var backend = Backend("tcpbe", Server("t1", echo.Port));
        backend.Mode = V1.Mode.Tcp;
        backend.TimeoutServerMs = 300;
        backend.TimeoutTunnelMs = 2500;
        await ApplyOkAsync(1, NewConfig([frontend], [backend]));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var socket = await ProxyWire.ConnectAsync(port, null, timeout.Token);
        var buffer = new byte[16];

        await socket.SendAsync("a"u8.ToArray(), SocketFlags.None, timeout.Token);
        Assert.Equal(1, await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token));
        await Task.Delay(1200, timeout.Token); // 4x the client/server timeouts, half the tunnel timeout
        await socket.SendAsync("b"u8.ToArray(), SocketFlags.None, timeout.Token);
        Assert.Equal(1, await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token));
        Assert.Equal((byte)'b', buffer[0]);

        Assert.Equal(string.Empty, await ProxyWire.ReadAllAsync(socket, timeout.Token)); // then the idle tunnel is closed
        Assert.False(timeout.IsCancellationRequested);
    }

    [Fact]
    public async Task FrontendForwardfor_AddsHeaderWithoutBackendOption()
    {
        var backend = await StartBackendAsync("s1");
        var port = Ports.GetFreePort();
        var config = NewConfig([Frontend("web", "app", port)], [Backend("app", Server("s1", backend.Port))]);
        config.Frontends[0].Forwardfor = true;
        await ApplyOkAsync(1, config);

        Assert.Equal("200 s1", await GetAsync(port));
        Assert.Equal("127.0.0.1", backend.LastForwardedFor);
    }

    [Fact]
    public async Task FrontendAndBackendForwardfor_AddHeaderOnce()
    {
        var backend = await StartBackendAsync("s1");
        var port = Ports.GetFreePort();
        var config = NewConfig([Frontend("web", "app", port)], [Backend("app", Server("s1", backend.Port))]);
        config.Frontends[0].Forwardfor = true;
        config.Backends[0].Forwardfor = true;
        await ApplyOkAsync(1, config);

        Assert.Equal("200 s1", await GetAsync(port));
        Assert.Equal("127.0.0.1", backend.LastForwardedFor);
    }

    [Fact]
    public async Task FrontendForwardforExcept_SkipsHeaderEvenWhenBackendHasTheOption()
    {
        var backend = await StartBackendAsync("s1");
        var port = Ports.GetFreePort();
        var config = NewConfig([Frontend("web", "app", port)], [Backend("app", Server("s1", backend.Port))]);
        config.Frontends[0].Forwardfor = true;
        config.Frontends[0].ForwardforExcept = "127.0.0.0/8";
        config.Backends[0].Forwardfor = true;
        await ApplyOkAsync(1, config);

        Assert.Equal("200 s1", await GetAsync(port));
        Assert.Null(backend.LastForwardedFor);
    }

    [Fact]
    public async Task BackendHeaderName_WinsOverFrontendHeaderName()
    {
        await using var server = Track(ProxyWire.HeadEchoServer());
        var port = Ports.GetFreePort();
        var config = NewConfig([Frontend("web", "app", port)], [Backend("app", Server("h1", server.Port))]);
        config.Frontends[0].Forwardfor = true;
        config.Frontends[0].ForwardforHeader = "X-Front";
        config.Backends[0].Forwardfor = true;
        config.Backends[0].ForwardforHeader = "X-Back";
        await ApplyOkAsync(1, config);

        var head = ProxyWire.Body(await ProxyWire.SendAsync(port, []));

        Assert.Contains("X-Back: 127.0.0.1", head, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Front", head, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OptionForwarded_AddsRfc7239Element()
    {
        await using var server = Track(ProxyWire.HeadEchoServer());
        var port = Ports.GetFreePort();
        var config = NewConfig([Frontend("web", "app", port)], [Backend("app", Server("h1", server.Port))]);
        config.Backends[0].Forwarded = new V1.ForwardedOption { Proto = true, Host = true, By = true, For = true };
        await ApplyOkAsync(1, config);

        var head = ProxyWire.Body(await ProxyWire.SendAsync(port, []));

        Assert.Matches($"Forwarded: proto=http;host=\"localhost\";by=\"127\\.0\\.0\\.1:{port}\";for=\"127\\.0\\.0\\.1:\\d+\"", head);
    }

    [Fact]
    public async Task OptionForwardedWithoutParameters_WritesForOnly()
    {
        await using var server = Track(ProxyWire.HeadEchoServer());
        var port = Ports.GetFreePort();
        var config = NewConfig([Frontend("web", "app", port)], [Backend("app", Server("h1", server.Port))]);
        config.Backends[0].Forwarded = new V1.ForwardedOption();
        await ApplyOkAsync(1, config);

        var head = ProxyWire.Body(await ProxyWire.SendAsync(port, []));

        Assert.Matches("Forwarded: for=\"127\\.0\\.0\\.1:\\d+\"\r?$|Forwarded: for=\"127\\.0\\.0\\.1:\\d+\"\r\n", head + "\r\n");
    }

    [Fact]
    public async Task InvalidSettings_AreRejectedByTheNode()
    {
        var port = Ports.GetFreePort();
        var config = NewConfig([Frontend("web", "app", port)], [Backend("app", Server("s1", 1))]);
        config.Frontends[0].ForwardforExcept = "not-a-network";
        config.Frontends[0].Forwardfor = true;
        config.Frontends[0].TimeoutHttpRequestMs = uint.MaxValue;
        config.Backends[0].Mode = V1.Mode.Http;
        config.Backends[0].Servers[0].SendProxy = (V1.ProxyProtocolVersion)7;

        var result = await Node.Engine.ApplyAsync(1, config, CancellationToken.None);

        Assert.False(result.Applied);
        Assert.Contains("forwardfor_except 'not-a-network'", result.Error, StringComparison.Ordinal);
        Assert.Contains("timeout_http_request_ms", result.Error, StringComparison.Ordinal);
        Assert.Contains("send_proxy", result.Error, StringComparison.Ordinal);
    }
}
