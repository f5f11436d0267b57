using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Tls;

/// <summary>HTTP/2 by ALPN, WebSockets (plain and over TLS) and TLS-terminated mode tcp through the real node.</summary>
public sealed class ClientProtocolTests : ProxyEngineTestBase
{
    private static readonly TestPki Pki = TestPki.Create();
    private static readonly V1.Certificate Site = Pki.ToConfig("site", Pki.IssueLeaf("site.test", ["site.test", "localhost"]));

    private static HttpClient TrustingClient() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    })
    {
        Timeout = TimeSpan.FromSeconds(20),
    };

    private async Task<(int TlsPort, int PlainPort)> StartHttpAsync(params string[] alpn)
    {
        var backend = Track(await TlsBackend.StartAsync("app"));
        var tlsPort = Ports.GetFreePort();
        var plainPort = Ports.GetFreePort();
        var frontend = Frontend("web", "app", tlsPort, plainPort);
        frontend.Binds[0].Ssl = true;
        frontend.Binds[0].Certificates.Add("site");
        frontend.Binds[0].Alpn.Add(alpn);
        var config = NewConfig([frontend], [Backend("app", Server("a", backend.Port))]);
        config.Certificates.Add(Site);
        await ApplyOkAsync(1, config);
        return (tlsPort, plainPort);
    }

    [Fact]
    public async Task AlpnH2_ClientSpeaksHttp2_ServerIsSpokenToInHttp11()
    {
        var (port, _) = await StartHttpAsync("h2", "http/1.1");
        using var client = TrustingClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://localhost:{port}/") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("app HTTP/1.1", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WithoutAlpn_Http2IsNotNegotiated_ClientsFallBackToHttp11()
    {
        var (port, plainPort) = await StartHttpAsync();
        using var client = TrustingClient();

        using var exact = new HttpRequestMessage(HttpMethod.Get, $"https://localhost:{port}/") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(exact));

        using var lower = new HttpRequestMessage(HttpMethod.Get, $"https://localhost:{port}/") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
        using var response = await client.SendAsync(lower);
        Assert.Equal(HttpVersion.Version11, response.Version);
        Assert.Equal("app HTTP/1.1", await response.Content.ReadAsStringAsync());

        // Plain binds stay HTTP/1.1: no h2c with prior knowledge.
        using var h2c = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{plainPort}/") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(h2c));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WebSocket_EchoesBothWaysAndCloses_PlainAndOverTls(bool overTls)
    {
        var (tlsPort, plainPort) = await StartHttpAsync();
        using var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var uri = overTls ? new Uri($"wss://localhost:{tlsPort}/ws") : new Uri($"ws://127.0.0.1:{plainPort}/ws");

        await socket.ConnectAsync(uri, timeout.Token);
        var buffer = new byte[1024];
        foreach (var message in new[] { "hello", "second message" })
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, timeout.Token);
            var received = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.Equal(message, Encoding.UTF8.GetString(buffer, 0, received.Count));
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        Assert.Equal(WebSocketState.Closed, socket.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
    }

    [Fact]
    public async Task ModeTcpSslBind_TerminatesTlsAndRelaysPlaintext_BothWaysAndClose()
    {
        await using var echo = TestTcpServer.Echo();
        var port = Ports.GetFreePort();
        var frontend = Frontend("db", "db", port);
        frontend.Mode = V1.Mode.Tcp;
        frontend.Binds[0].Ssl = true;
        frontend.Binds[0].Certificates.Add("site");
        var backend = Backend("db", Server("a", echo.Port));
        backend.Mode = V1.Mode.Tcp;
        var config = NewConfig([frontend], [backend]);
        config.Certificates.Add(Site);
        await ApplyOkAsync(1, config);

        using var client = await TestPki.ConnectAsync(port, "site.test");
        Assert.Equal("site.test", client.CommonName);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var payload = Encoding.ASCII.GetBytes(new string('x', 100_000));
        await client.Stream.WriteAsync(payload, timeout.Token);
        var received = 0;
        var buffer = new byte[16384];
        while (received < payload.Length)
        {
            var read = await client.Stream.ReadAsync(buffer, timeout.Token);
            Assert.NotEqual(0, read);
            Assert.All(buffer.AsSpan(0, read).ToArray(), b => Assert.Equal((byte)'x', b));
            received += read;
        }

        Assert.Equal(payload.Length, received);
        await client.Stream.ShutdownAsync(); // TLS close_notify; the echo server then closes and so does the node
        var end = await client.Stream.ReadAsync(buffer, timeout.Token);
        Assert.Equal(0, end);
        Assert.True(await Eventually.WaitAsync(() => Row("db", "FRONTEND").Bin == (ulong)payload.Length, TimeSpan.FromSeconds(10)));
    }
}
