using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Tls;

/// <summary>TLS termination on <c>ssl</c> binds through the real node.</summary>
public sealed class TlsTerminationTests : ProxyEngineTestBase
{
    private static readonly TestPki Pki = TestPki.Create();

    private static readonly V1.Certificate Default = Pki.ToConfig("default", Pki.IssueLeaf("default.test", ["default.test"]));
    private static readonly V1.Certificate Shop = Pki.ToConfig("shop", Pki.IssueLeaf("shop.test", ["shop.test", "www.shop.test"]));
    private static readonly V1.Certificate Wildcard = Pki.ToConfig("wild", Pki.IssueLeaf("wild.test", ["*.apps.test"]));
    private static readonly V1.Certificate CnOnly = Pki.ToConfig("legacy", Pki.IssueLeaf("legacy.test"));

    private async Task<(int Port, V1.Config Config)> StartAsync(Action<V1.Bind>? bind = null, params V1.Certificate[] certificates)
    {
        var app = await StartBackendAsync("app");
        var port = Ports.GetFreePort();
        var frontend = Frontend("web", "app", port);
        frontend.Binds[0].Ssl = true;
        certificates = certificates.Length > 0 ? certificates : [Default];
        frontend.Binds[0].Certificates.Add(certificates.Select(c => c.Name));
        bind?.Invoke(frontend.Binds[0]);
        var config = NewConfig([frontend], [Backend("app", Server("a", app.Port))]);
        config.Certificates.Add(certificates);
        await ApplyOkAsync(1, config);
        return (port, config);
    }

    [Fact]
    public async Task SslBind_PicksCertificateBySni_ExactThenWildcardThenCnThenDefault()
    {
        var (port, _) = await StartAsync(null, Default, Shop, Wildcard, CnOnly);

        async Task<string> PresentedFor(string? sni)
        {
            using var client = await TestPki.ConnectAsync(port, sni);
            Assert.Equal("200 app", await client.GetAsync());
            return client.CommonName;
        }

        Assert.Equal("shop.test", await PresentedFor("www.shop.test"));
        Assert.Equal("shop.test", await PresentedFor("SHOP.test"));
        Assert.Equal("wild.test", await PresentedFor("api.apps.test"));
        Assert.Equal("default.test", await PresentedFor("a.b.apps.test")); // the wildcard covers one label only
        Assert.Equal("default.test", await PresentedFor("apps.test"));
        Assert.Equal("legacy.test", await PresentedFor("legacy.test")); // CN, as the certificate has no SAN
        Assert.Equal("default.test", await PresentedFor("unknown.test"));
        Assert.Equal("default.test", await PresentedFor(null));
    }

    [Fact]
    public async Task SslBind_SendsTheIntermediate_SoAClientTrustingOnlyTheRootVerifies()
    {
        var (port, _) = await StartAsync();

        using var client = await TestPki.ConnectAsync(port, "default.test", policy: Pki.TrustRootOnly());

        Assert.Equal(SslPolicyErrors.None, client.Errors);
    }

    [Fact]
    public async Task SslMinVerTls13_RefusesATls12Client_AcceptsTls13()
    {
        var (port, _) = await StartAsync(b => b.SslMinVer = V1.TlsVersion.Tls13);

        await Assert.ThrowsAnyAsync<Exception>(() => TestPki.ConnectAsync(port, "default.test", SslProtocols.Tls12));
        using var client = await TestPki.ConnectAsync(port, "default.test", SslProtocols.Tls13);
        Assert.Equal(SslProtocols.Tls13, client.Stream.SslProtocol);
        Assert.Equal("200 app", await client.GetAsync());
    }

    [Fact]
    public async Task DefaultMinVersion_RefusesTls11()
    {
        var (port, _) = await StartAsync();

#pragma warning disable SYSLIB0039 // the point of the test
        await Assert.ThrowsAnyAsync<Exception>(() => TestPki.ConnectAsync(port, "default.test", SslProtocols.Tls11));
#pragma warning restore SYSLIB0039
        using var client = await TestPki.ConnectAsync(port, "default.test", SslProtocols.Tls12);
        Assert.Equal("200 app", await client.GetAsync());
    }

    [Fact]
    public async Task NewCertificate_AppliesToNewHandshakes_OpenConnectionKeepsWorking()
    {
        var (port, config) = await StartAsync();
        using var before = await TestPki.ConnectAsync(port, "default.test");
        Assert.Equal("default.test", before.CommonName);

        var swapped = config.Clone();
        swapped.Certificates[0] = Pki.ToConfig("default", Pki.IssueLeaf("renewed.test", ["default.test"]));
        await ApplyOkAsync(2, swapped);

        using var after = await TestPki.ConnectAsync(port, "default.test");
        Assert.Equal("renewed.test", after.CommonName);
        Assert.Equal("200 app", await after.GetAsync());
        Assert.Equal("200 app", await before.GetAsync()); // same connection, old certificate, still served
        Assert.Contains(Node.Engine.OpenBinds, b => b.Port == port);
    }

    [Fact]
    public async Task SslTurnedOnForAnOpenBind_TakesEffectWithoutReopening()
    {
        var app = await StartBackendAsync("app");
        var port = Ports.GetFreePort();
        var config = NewConfig([Frontend("web", "app", port)], [Backend("app", Server("a", app.Port))]);
        await ApplyOkAsync(1, config);
        Assert.Equal("200 app", await GetAsync(port));

        var tls = config.Clone();
        tls.Frontends[0].Binds[0].Ssl = true;
        tls.Frontends[0].Binds[0].Certificates.Add("default");
        tls.Certificates.Add(Default);
        await ApplyOkAsync(2, tls);

        using var client = await TestPki.ConnectAsync(port, "default.test");
        Assert.Equal("200 app", await client.GetAsync());
    }

    [Fact]
    public async Task FailedHandshake_CountsEreq_AndTheBindKeepsServing()
    {
        var (port, _) = await StartAsync();

        using (var plain = new TcpClient())
        {
            await plain.ConnectAsync(IPAddress.Loopback, port);
            var stream = plain.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
            var buffer = new byte[256];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                while (await stream.ReadAsync(buffer, timeout.Token) > 0)
                {
                }
            }
            catch (IOException)
            {
            }
        }

        Assert.True(await Eventually.WaitAsync(() => Row("web", "FRONTEND").Ereq == 1, TimeSpan.FromSeconds(10)));
        using var client = await TestPki.ConnectAsync(port, "default.test");
        Assert.Equal("200 app", await client.GetAsync());
        Assert.Equal(1UL, Row("web", "FRONTEND").Ereq);
    }

    [Fact]
    public async Task SslFcSni_RoutesBySniAndMatchesNothingOnPlainBinds()
    {
        var app = await StartBackendAsync("app");
        var shop = await StartBackendAsync("shop");
        var tlsPort = Ports.GetFreePort();
        var plainPort = Ports.GetFreePort();
        var frontend = Frontend("web", "app", tlsPort, plainPort);
        frontend.Binds[0].Ssl = true;
        frontend.Binds[0].Certificates.Add(["default", "shop"]);
        frontend.Acls.Add(new V1.Acl { Name = "is_shop", Fetch = "ssl_fc_sni", CaseInsensitive = true, Patterns = { "shop.test" } });
        frontend.UseBackends.Add(new V1.UseBackendRule
        {
            Backend = "shop",
            Condition = new V1.Condition { Any = { new V1.ConditionGroup { Terms = { new V1.ConditionTerm { Acl = "is_shop" } } } } },
        });
        var config = NewConfig([frontend], [Backend("app", Server("a", app.Port)), Backend("shop", Server("a", shop.Port))]);
        config.Certificates.Add([Default, Shop]);
        await ApplyOkAsync(1, config);

        using (var client = await TestPki.ConnectAsync(tlsPort, "Shop.Test"))
        {
            Assert.Equal("200 shop", await client.GetAsync(host: "anything"));
        }

        using (var client = await TestPki.ConnectAsync(tlsPort, "default.test"))
        {
            Assert.Equal("200 app", await client.GetAsync(host: "shop.test"));
        }

        Assert.Equal("200 app", await GetAsync(plainPort));
    }
}
