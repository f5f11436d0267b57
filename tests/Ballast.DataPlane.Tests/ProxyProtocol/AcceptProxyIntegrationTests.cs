using System.Net;
using System.Net.Sockets;
using System.Text;
using Ballast.DataPlane.ProxyProtocol;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.ProxyProtocol;

public sealed class AcceptProxyIntegrationTests : ProxyEngineTestBase
{
    [Fact]
    public async Task AcceptProxyV1_CarriedSourceIsTheClientForForwardfor()
    {
        var backend = await StartBackendAsync("s1");
        var port = Ports.GetFreePort();
        await ApplyOkAsync(1, HttpConfig(port, backend.Port, acceptProxy: true));

        var response = await ProxyWire.SendAsync(port, Encoding.ASCII.GetBytes("PROXY TCP4 203.0.113.7 127.0.0.1 5555 80\r\n"));

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.Equal("203.0.113.7", backend.LastForwardedFor);
    }

    [Fact]
    public async Task AcceptProxyV2_CarriedSourceIsTheClientForSrcAcl()
    {
        var backend = await StartBackendAsync("s1");
        var port = Ports.GetFreePort();
        var config = HttpConfig(port, backend.Port, acceptProxy: true);
        config.Frontends[0].Acls.Add(new V1.Acl { Name = "blocked", Fetch = "src", Patterns = { "198.51.100.0/24" } });
        config.Frontends[0].HttpRequest.Add(new V1.HttpRule { Action = V1.HttpAction.Deny, Condition = new V1.Condition { Any = { new V1.ConditionGroup { Terms = { new V1.ConditionTerm { Acl = "blocked" } } } } } });
        await ApplyOkAsync(1, config);

        var blocked = await ProxyWire.SendAsync(port, V2("198.51.100.20", 4000));
        var allowed = await ProxyWire.SendAsync(port, V2("192.0.2.20", 4000));

        Assert.StartsWith("HTTP/1.1 403", blocked, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", allowed, StringComparison.Ordinal);
        Assert.Equal("192.0.2.20", backend.LastForwardedFor);
    }

    [Fact]
    public async Task AcceptProxyLocal_KeepsTheRealAddress()
    {
        var backend = await StartBackendAsync("s1");
        var port = Ports.GetFreePort();
        await ApplyOkAsync(1, HttpConfig(port, backend.Port, acceptProxy: true));

        var response = await ProxyWire.SendAsync(port, ProxyHeaderWriter.Create(V1.ProxyProtocolVersion.ProxyProtocolV2, null, null));

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", backend.LastForwardedFor);
    }

    [Theory]
    [InlineData("")]
    [InlineData("PROXY TCP4 1.2.3 127.0.0.1 1 2\r\n")]
    public async Task AcceptProxy_MissingOrMalformedHeader_ClosesWithoutAnswer(string prefix)
    {
        var backend = await StartBackendAsync("s1");
        var port = Ports.GetFreePort();
        await ApplyOkAsync(1, HttpConfig(port, backend.Port, acceptProxy: true));

        var response = await ProxyWire.SendAsync(port, Encoding.ASCII.GetBytes(prefix));

        Assert.Equal(string.Empty, response);
        Assert.Equal(0, backend.Requests);
    }

    [Fact]
    public async Task AcceptProxy_HeaderNotCompleteWithinHttpRequestTimeout_Closes()
    {
        var backend = await StartBackendAsync("s1");
        var port = Ports.GetFreePort();
        var config = HttpConfig(port, backend.Port, acceptProxy: true);
        config.Frontends[0].TimeoutHttpRequestMs = 300;
        await ApplyOkAsync(1, config);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)); // default (50 s) would not close in time
        using var socket = await ProxyWire.ConnectAsync(port, null, timeout.Token);

        await socket.SendAsync(Encoding.ASCII.GetBytes("PROXY TCP4 1.2.3.4"), SocketFlags.None, timeout.Token);

        Assert.Equal(string.Empty, await ProxyWire.ReadAllAsync(socket, timeout.Token));
    }

    [Fact]
    public async Task BindWithoutAcceptProxy_ServesPlainRequests()
    {
        var backend = await StartBackendAsync("s1");
        var port = Ports.GetFreePort();
        await ApplyOkAsync(1, HttpConfig(port, backend.Port, acceptProxy: false));

        Assert.Equal("200 s1", await GetAsync(port));
    }

    [Theory]
    [InlineData(V1.ProxyProtocolVersion.ProxyProtocolV1, "PROXY TCP4 203.0.113.9 192.0.2.1 6000 443\r\n")]
    [InlineData(V1.ProxyProtocolVersion.ProxyProtocolV2, null)]
    public async Task ModeTcp_AcceptProxyThenSendProxy_ServerGetsOriginalClient(V1.ProxyProtocolVersion version, string? expectedLine)
    {
        await using var server = Track(TestTcpServer.Start(async (socket, token) =>
        {
            var buffer = new byte[256];
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, token);
            await socket.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, token); // echo the first chunk (the header)
            socket.Shutdown(SocketShutdown.Send);
        }));
        var port = Ports.GetFreePort();
        var frontend = Frontend("tcpfe", "tcpbe", port);
        frontend.Mode = V1.Mode.Tcp;
        frontend.Binds[0].AcceptProxy = true;
        var serverMessage = Server("t1", server.Port);
        serverMessage.SendProxy = version;
        var backend = Backend("tcpbe", serverMessage);
        backend.Mode = V1.Mode.Tcp;
        await ApplyOkAsync(1, NewConfig([frontend], [backend]));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var socket = await ProxyWire.ConnectAsync(port, null, timeout.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes("PROXY TCP4 203.0.113.9 192.0.2.1 6000 443\r\n"), SocketFlags.None, timeout.Token);
        var echoed = Encoding.Latin1.GetBytes(await ProxyWire.ReadAllAsync(socket, timeout.Token));

        Assert.Equal(ProxyParseStatus.Complete, ProxyHeaderParser.TryParse(new System.Buffers.ReadOnlySequence<byte>(echoed), out var header, out _, out _));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("203.0.113.9"), 6000), header.Source);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 443), header.Destination);
        if (expectedLine is not null)
        {
            Assert.Equal(expectedLine, Encoding.ASCII.GetString(echoed));
        }
    }

    [Fact]
    public async Task ModeHttp_SendProxy_EachClientConnectionGetsItsOwnServerConnectionAndHeader()
    {
        await using var server = Track(ProxyWire.HeadEchoServer());
        var port = Ports.GetFreePort();
        var serverMessage = Server("h1", server.Port);
        serverMessage.SendProxy = V1.ProxyProtocolVersion.ProxyProtocolV1;
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [Backend("app", serverMessage)]));

        var first = ProxyWire.Body(await ProxyWire.SendAsync(port, [], from: IPAddress.Parse("127.0.0.2")));
        var second = ProxyWire.Body(await ProxyWire.SendAsync(port, [], from: IPAddress.Parse("127.0.0.3")));

        Assert.Matches($"^PROXY TCP4 127\\.0\\.0\\.2 127\\.0\\.0\\.1 \\d+ {port}\r\nGET / HTTP/1\\.1\r\n", first);
        Assert.StartsWith("PROXY TCP4 127.0.0.3 127.0.0.1 ", second, StringComparison.Ordinal);
        Assert.Equal(2, server.Connections);
    }

    private static byte[] V2(string source, int port) =>
        ProxyHeaderWriter.Create(V1.ProxyProtocolVersion.ProxyProtocolV2, new IPEndPoint(IPAddress.Parse(source), port), new IPEndPoint(IPAddress.Loopback, 80));

    private static V1.Config HttpConfig(int port, int backendPort, bool acceptProxy)
    {
        var frontend = Frontend("web", "app", port);
        frontend.Binds[0].AcceptProxy = acceptProxy;
        var backend = Backend("app", Server("s1", backendPort));
        backend.Forwardfor = true;
        return NewConfig([frontend], [backend]);
    }
}
