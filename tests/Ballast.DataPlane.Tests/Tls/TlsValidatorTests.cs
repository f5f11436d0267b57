using Ballast.DataPlane.Config;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Tls;

/// <summary>Node-side validation of certificates, <c>ssl</c> binds and <c>ssl</c> servers.</summary>
public sealed class TlsValidatorTests
{
    private static readonly TestPki Pki = TestPki.Create();
    private static readonly TestPki OtherPki = TestPki.Create("Other");

    private static V1.Config SslConfig(Action<V1.Bind>? bind = null, params V1.Certificate[] certificates)
    {
        var frontend = Frontend("web", "app", 8443);
        frontend.Binds[0].Ssl = true;
        frontend.Binds[0].Certificates.Add("site");
        bind?.Invoke(frontend.Binds[0]);
        var config = NewConfig([frontend], [Backend("app", Server("a", 8080))]);
        config.Certificates.Add(certificates.Length > 0 ? certificates : [Pki.ToConfig("site", Pki.IssueLeaf("site.test", ["site.test"]))]);
        return config;
    }

    private static string Errors(V1.Config config) => string.Join("\n", SnapshotValidator.Validate(config));

    [Fact]
    public void ValidSslBind_WithAlpnAndMinVersion_IsAccepted()
    {
        var config = SslConfig(b =>
        {
            b.Alpn.Add(["h2", "http/1.1"]);
            b.SslMinVer = V1.TlsVersion.Tls13;
        });

        Assert.Empty(SnapshotValidator.Validate(config));
    }

    [Fact]
    public void KeyOfAnotherCertificate_IsRejectedNamingTheCertificate()
    {
        var good = Pki.ToConfig("site", Pki.IssueLeaf("site.test", ["site.test"]));
        good.KeyPem = Pki.ToConfig("x", Pki.IssueLeaf("other.test", ["other.test"])).KeyPem;

        Assert.Contains("certificate 'site': key_pem does not match", Errors(SslConfig(null, good)));
    }

    [Fact]
    public void GarbagePem_IsRejected()
    {
        var bad = new V1.Certificate { Name = "site", CertPem = "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n", KeyPem = "x" };

        Assert.Contains("certificate 'site':", Errors(SslConfig(null, bad)));
    }

    [Fact]
    public void SslBind_WithoutCertificates_IsRejected()
    {
        var config = SslConfig(b => b.Certificates.Clear());

        Assert.Contains("ssl needs at least one certificate (crt)", Errors(config));
    }

    [Fact]
    public void UnknownCrt_AndCaBundleAsCrt_AreRejected()
    {
        var config = SslConfig(b => b.Certificates.Add(["missing", "ca"]));
        config.Certificates.Add(Pki.RootBundle("ca"));

        var errors = Errors(config);
        Assert.Contains("crt 'missing' does not exist", errors);
        Assert.Contains("crt 'ca' has no private key", errors);
    }

    [Fact]
    public void UnknownAlpn_AlpnInModeTcp_AndAlpnWithoutSsl_AreRejected()
    {
        Assert.Contains("alpn 'h3' is not supported", Errors(SslConfig(b => b.Alpn.Add("h3"))));

        var tcp = SslConfig(b => b.Alpn.Add("h2"));
        tcp.Frontends[0].Mode = V1.Mode.Tcp;
        tcp.Backends[0].Mode = V1.Mode.Tcp;
        Assert.Contains("alpn negotiates HTTP versions and needs mode http", Errors(tcp));

        var plain = SslConfig(b =>
        {
            b.Ssl = false;
            b.Alpn.Add("h2");
        });
        Assert.Contains("certificates (crt), alpn and ssl_min_ver need ssl", Errors(plain));
    }

    [Fact]
    public void SslOnModeTcpBind_IsAccepted()
    {
        var tcp = SslConfig();
        tcp.Frontends[0].Mode = V1.Mode.Tcp;
        tcp.Backends[0].Mode = V1.Mode.Tcp;

        Assert.Empty(SnapshotValidator.Validate(tcp));
    }

    [Fact]
    public void SslServer_UnknownCaFile_BadSni_AndModeTcp_AreRejected()
    {
        var config = NewConfig([Frontend("web", "app", 8080)], [Backend("app", Server("a", 8443))]);
        var server = config.Backends[0].Servers[0];
        server.Ssl = true;
        server.CaFile = "nope";
        server.Sni = "bad name";

        var errors = Errors(config);
        Assert.Contains("backend 'app' server 'a': ca_file 'nope' does not exist", errors);
        Assert.Contains("sni 'bad name' is not a host name", errors);

        server.CaFile = string.Empty;
        server.Sni = string.Empty;
        config.Frontends[0].Mode = V1.Mode.Tcp;
        config.Backends[0].Mode = V1.Mode.Tcp;
        Assert.Contains("ssl on a mode tcp server is not supported", Errors(config));
    }

    [Fact]
    public void VerifyWithoutSsl_HttpCheckOfSslServer_AndConflictingSettings_AreRejected()
    {
        var config = NewConfig([Frontend("web", "app", 8080)], [Backend("app", Server("a", 8443, check: true), Server("b", 8443)).WithHttpCheck(1000)]);
        config.Backends[0].Servers[1].Verify = V1.ServerVerify.None;
        Assert.Contains("server 'b': verify, ca_file and sni need ssl", Errors(config));

        config.Backends[0].Servers[0].Ssl = true;
        config.Backends[0].Servers[1].Ssl = true;
        var errors = Errors(config);
        Assert.Contains("server 'a': an HTTP health check of an ssl server would need TLS", errors);
        Assert.Contains("server 'b': same address 127.0.0.1:8443 as backend 'app' server 'a' with different verify/ca_file/sni", errors);

        config.Backends[0].Servers[0].CheckPort = 8080;
        config.Backends[0].Servers[1].Verify = V1.ServerVerify.Required;
        Assert.Empty(SnapshotValidator.Validate(config));
    }

    [Fact]
    public async Task BadCertificate_IsNackedAndTheNodeKeepsServingThePreviousSnapshot()
    {
        await using var node = TestNode.Create();
        await using var backend = await TestBackend.StartAsync("app");
        var port = Ports.GetFreePort();
        var good = SslConfig();
        good.Frontends[0].Binds[0].Port = (uint)port;
        good.Backends[0].Servers[0].Port = (uint)backend.Port;
        Assert.True((await node.Engine.ApplyAsync(1, good, CancellationToken.None)).Applied);

        var bad = good.Clone();
        bad.Certificates[0].KeyPem = OtherPki.ToConfig("x", OtherPki.IssueLeaf("x.test", ["x.test"])).KeyPem;
        var result = await node.Engine.ApplyAsync(2, bad, CancellationToken.None);

        Assert.False(result.Applied);
        Assert.Contains("certificate 'site': key_pem does not match", result.Error);
        Assert.Equal(1UL, node.Engine.AppliedVersion);
        using var client = await TestPki.ConnectAsync(port, "site.test");
        Assert.Equal("site.test", client.CommonName);
        Assert.Equal("200 app", await client.GetAsync());
    }
}
