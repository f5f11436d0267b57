using System.Globalization;
using System.Net;
using System.Text;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.ProxyProtocol;

/// <summary>
/// The PROXY protocol against a real HAProxy (/usr/sbin/haproxy): HAProxy's <c>send-proxy</c>/<c>send-proxy-v2</c> into a
/// Ballast <c>accept-proxy</c> bind, and Ballast's into an HAProxy <c>accept-proxy</c> bind echoing <c>%[src]</c>.
/// Clients connect from 127.0.0.2-127.0.0.9 so the original address differs from the proxies' 127.0.0.1.
/// </summary>
public sealed class ProxyProtocolHaproxyDifferentialTests : ProxyEngineTestBase
{
    [Theory]
    [InlineData("send-proxy", "http")]
    [InlineData("send-proxy-v2", "http")]
    [InlineData("send-proxy", "tcp")]
    [InlineData("send-proxy-v2", "tcp")]
    public async Task HaproxySendProxy_BallastAcceptProxy_BackendSeesOriginalClient(string keyword, string haproxyMode)
    {
        var backend = await StartBackendAsync("s1");
        var nodePort = Ports.GetFreePort();
        var haproxyPort = Ports.GetFreePort();
        var frontend = Frontend("web", "app", nodePort);
        frontend.Binds[0].AcceptProxy = true;
        var app = Backend("app", Server("s1", backend.Port));
        app.Forwardfor = true;
        await ApplyOkAsync(1, NewConfig([frontend], [app]));
        var config = string.Create(CultureInfo.InvariantCulture, $"""
            global
              nbthread 1
            defaults
              mode {haproxyMode}
              timeout connect 5s
              timeout client 30s
              timeout server 30s
            frontend f
              bind 127.0.0.1:{haproxyPort}
              default_backend b
            backend b
              server ballast 127.0.0.1:{nodePort} {keyword}

            """);
        await using var haproxy = await HaproxyProcess.StartAsync(config, [haproxyPort]);

        var response = await RawHttp.GetAsync(haproxyPort, "/", from: IPAddress.Parse("127.0.0.5"));

        Assert.Equal("200 s1", response);
        Assert.Equal("127.0.0.5", backend.LastForwardedFor);
    }

    [Theory]
    [InlineData(V1.ProxyProtocolVersion.ProxyProtocolV1, V1.Mode.Http)]
    [InlineData(V1.ProxyProtocolVersion.ProxyProtocolV2, V1.Mode.Http)]
    [InlineData(V1.ProxyProtocolVersion.ProxyProtocolV1, V1.Mode.Tcp)]
    [InlineData(V1.ProxyProtocolVersion.ProxyProtocolV2, V1.Mode.Tcp)]
    public async Task BallastSendProxy_HaproxyAcceptProxy_SeesOriginalClient(V1.ProxyProtocolVersion version, V1.Mode mode)
    {
        var nodePort = Ports.GetFreePort();
        var haproxyPort = Ports.GetFreePort();
        var config = string.Create(CultureInfo.InvariantCulture, $"""
            global
              nbthread 1
            defaults
              mode http
              timeout connect 5s
              timeout client 30s
              timeout server 30s
            frontend echo
              bind 127.0.0.1:{haproxyPort} accept-proxy
              http-request return status 200 content-type text/plain lf-string "%[src]"

            """);
        await using var haproxy = await HaproxyProcess.StartAsync(config, [haproxyPort]);
        var frontend = Frontend("web", "app", nodePort);
        frontend.Mode = mode;
        var server = Server("h", haproxyPort);
        server.SendProxy = version;
        var app = Backend("app", server);
        app.Mode = mode;
        await ApplyOkAsync(1, NewConfig([frontend], [app]));

        var first = await RawHttp.GetAsync(nodePort, "/", from: IPAddress.Parse("127.0.0.6"));
        var second = await RawHttp.GetAsync(nodePort, "/", from: IPAddress.Parse("127.0.0.7"));

        Assert.Equal("200 127.0.0.6", first);
        Assert.Equal("200 127.0.0.7", second);
    }
}
