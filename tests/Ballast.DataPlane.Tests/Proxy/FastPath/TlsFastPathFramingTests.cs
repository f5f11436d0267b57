using System.Net;
using System.Net.Security;
using System.Text;
using Ballast.DataPlane.Proxy.FastPath;
using Ballast.DataPlane.Tests.Infrastructure;
using Ballast.DataPlane.Tests.Tls;
using Microsoft.Extensions.DependencyInjection;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Proxy.FastPath;

/// <summary>
/// The fast path behind TLS termination (<c>bind ... ssl crt ... alpn h2,http/1.1</c>): HTTP/1.1 connections (ALPN
/// http/1.1 or none) are served by the fast path over the decrypted pipe with the same framing as plain ones;
/// connections that negotiate h2 stay on Kestrel's HTTP/2 and YARP.
/// </summary>
public sealed class TlsFastPathFramingTests : ProxyEngineTestBase
{
    private static readonly TestPki Pki = TestPki.Create("Ballast FastPath Tls");
    private static readonly V1.Certificate Certificate = Pki.ToConfig("site", Pki.IssueLeaf("localhost", ["localhost"]));

    private FramingBackend _backend = null!;
    private int _port;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _backend = await FramingBackend.StartAsync();
        Track(_backend);
        _port = Ports.GetFreePort();
        var frontend = Frontend("web", "app", _port);
        frontend.TimeoutClientMs = 1500;
        var bind = frontend.Binds[0];
        bind.Ssl = true;
        bind.Certificates.Add(Certificate.Name);
        bind.Alpn.Add(["h2", "http/1.1"]);
        var backend = Backend("app", Server("a", _backend.Port));
        backend.TimeoutServerMs = 3000;
        var config = NewConfig([frontend], [backend]);
        config.Certificates.Add(Certificate);
        await ApplyOkAsync(1, config);
        var selector = Node.Services.GetRequiredService<Http1FastPath>().Selector;
        var runtime = Node.Services.GetRequiredService<global::Ballast.DataPlane.Config.RuntimeModelHolder>().Current.Frontends.Single();
        Assert.True(selector.UsesFastPath(runtime)); // an ssl bind is eligible
    }

    [Fact]
    public async Task Http11OverTls_KeepAliveAndPipelining_ReuseOneServerConnection()
    {
        using var client = await RawConnection.ConnectTlsAsync(_port, [SslApplicationProtocol.Http11]);
        Assert.Equal(SslApplicationProtocol.Http11, client.Tls!.NegotiatedApplicationProtocol);
        await client.SendAsync("GET /big?n=3 HTTP/1.1\r\nHost: x\r\n\r\nGET /chunked HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nabcdGET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("xxx", Encoding.ASCII.GetString((await client.ReadResponseAsync()).Body));
        Assert.Equal("hello chunked world", Encoding.ASCII.GetString((await client.ReadResponseAsync()).Body));
        Assert.Equal("abcd", Encoding.ASCII.GetString((await client.ReadResponseAsync()).Body));
        Assert.Equal("ok", Encoding.ASCII.GetString((await client.ReadResponseAsync()).Body));
        Assert.Equal(1, _backend.Connections);
        Assert.Equal(4UL, Row("app", "BACKEND").Hrsp2Xx);
    }

    [Fact]
    public async Task NoAlpnOverTls_ChunkedRequestBodyAndHeadResponse_StayInSync()
    {
        using var client = await RawConnection.ConnectTlsAsync(_port);
        await client.SendAsync("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
        await Task.Delay(50);
        await client.SendAsync("6;x=y\r\n world\r\n0\r\n\r\nHEAD /status?code=200 HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("hello world", Encoding.ASCII.GetString((await client.ReadResponseAsync()).Body));
        var (status, _, body) = await client.ReadResponseAsync(head: true);
        Assert.Equal(200, status);
        Assert.Empty(body);
        await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        Assert.Equal("ok", Encoding.ASCII.GetString((await client.ReadResponseAsync()).Body));
        Assert.True(await client.IsClosedByPeerAsync());
    }

    [Fact]
    public async Task LargeBodiesOverTls_PassBothWays()
    {
        using var client = await RawConnection.ConnectTlsAsync(_port, [SslApplicationProtocol.Http11]);
        var upload = new byte[1024 * 1024 + 17];
        Random.Shared.NextBytes(upload);
        await client.SendAsync($"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: {upload.Length}\r\n\r\n");
        await client.SendAsync(upload);
        Assert.Equal(upload, (await client.ReadResponseAsync()).Body);
        await client.SendAsync($"GET /big?n={2 * 1024 * 1024} HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(2 * 1024 * 1024, (await client.ReadResponseAsync()).Body.Length);
    }

    [Fact]
    public async Task InvalidRequestOverTls_Is400AndCloses()
    {
        using var client = await RawConnection.ConnectTlsAsync(_port, [SslApplicationProtocol.Http11]);
        await client.SendAsync("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");
        Assert.Equal(400, (await client.ReadResponseAsync()).Status);
        Assert.True(await client.IsClosedByPeerAsync());
        Assert.Equal(0, _backend.Connections);
    }

    [Fact]
    public async Task H2ByAlpn_StaysOnKestrelHttp2()
    {
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{_port}/chunked")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello chunked world", await response.Content.ReadAsStringAsync());
    }
}
