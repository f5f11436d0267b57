using Ballast.ControlPlane.Validation;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Tests.Validation;

public sealed class BindLineTests
{
    [Theory]
    [InlineData("*:443 ssl crt site.pem", "*:443 ssl crt site.pem")]
    [InlineData(":443   ssl crt a.pem crt b.pem alpn h2,http/1.1 ssl-min-ver TLSv1.3 accept-proxy", "*:443 ssl crt a.pem crt b.pem alpn h2,http/1.1 ssl-min-ver TLSv1.3 accept-proxy")]
    [InlineData("[::1]:443 accept-proxy alpn http/1.1 crt x ssl", "[::1]:443 ssl crt x alpn http/1.1 accept-proxy")]
    [InlineData("127.0.0.1:80 accept-proxy", "127.0.0.1:80 accept-proxy")]
    [InlineData("127.0.0.1:443 ssl crt s ssl-min-ver TLSv1.0", "127.0.0.1:443 ssl crt s ssl-min-ver TLSv1.0")]
    public void BindLine_ParsesAndFormatsCanonically(string text, string canonical)
    {
        Assert.True(BindAddress.TryParse(text, out var bind, out var error), error);
        Assert.Equal(canonical, BindAddress.Format(bind));
        Assert.True(BindAddress.TryParse(canonical, out var again, out _));
        Assert.Equal(bind, again);
    }

    [Fact]
    public void BindLine_FillsTheModelFields()
    {
        Assert.True(BindAddress.TryParse("10.0.0.1:443 ssl crt a crt b alpn h2,http/1.1 ssl-min-ver TLSv1.3 accept-proxy", out var bind, out _));
        Assert.True(bind.Ssl);
        Assert.Equal(["a", "b"], bind.Certificates);
        Assert.Equal(["h2", "http/1.1"], bind.Alpn);
        Assert.Equal(TlsVersion.Tls13, bind.SslMinVer);
        Assert.True(bind.AcceptProxy);
        Assert.Equal(("10.0.0.1", 443u), (bind.Address, bind.Port));
    }

    [Theory]
    [InlineData("*:443 ssl crt", "crt: expects a certificate name")]
    [InlineData("*:443 ssl crt a alpn", "alpn: expects")]
    [InlineData("*:443 ssl crt a ssl-min-ver SSLv3", "ssl-min-ver: must be TLSv1.0")]
    [InlineData("*:443 ssl crt a verify required", "'verify': unknown bind option")]
    [InlineData("*:443 ssl ssl crt a", "ssl: given more than once")]
    [InlineData("*:443 ssl crt a alpn h2 alpn http/1.1", "alpn: given more than once")]
    public void BadBindLine_NamesTheKeywordAndTheBind(string text, string reason)
    {
        Assert.False(BindAddress.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Contains(text, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*:443 ssl", Mode.Http, "ssl: needs at least one 'crt <certificate>'")]
    [InlineData("*:443 crt site.pem", Mode.Http, "crt: needs 'ssl'")]
    [InlineData("*:443 alpn h2", Mode.Http, "alpn: needs 'ssl'")]
    [InlineData("*:443 ssl-min-ver TLSv1.3", Mode.Http, "ssl-min-ver: needs 'ssl'")]
    [InlineData("*:443 ssl crt a alpn h3", Mode.Http, "alpn: 'h3' is not offered")]
    [InlineData("*:443 ssl crt a alpn h2,h2", Mode.Http, "alpn: 'h2' is listed twice")]
    [InlineData("*:443 ssl crt a alpn h2", Mode.Tcp, "alpn: negotiates HTTP versions and needs mode http")]
    [InlineData("*:443 ssl crt a crt a", Mode.Http, "crt: 'a' is named twice")]
    [InlineData("*:443 ssl crt a/b.pem", Mode.Http, "crt: 'a/b.pem' is not a certificate name")]
    public void BindRules_RefuseInconsistentOptions(string text, Mode mode, string reason)
    {
        Assert.True(BindAddress.TryParse(text, out var bind, out var parseError), parseError);
        var frontend = new Frontend { Name = "web", Mode = mode, DefaultBackend = "app", Binds = { bind } };
        var errors = new List<ValidationError>();
        ConfigValidator.ValidateFrontend(frontend, "frontend 'web'", errors);
        var error = Assert.Single(errors);
        Assert.Equal("binds[0]", error.Field);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains("*:443", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TlsBindInTcpMode_WithoutAlpn_IsValid()
    {
        Assert.True(BindAddress.TryParse("*:443 ssl crt a ssl-min-ver TLSv1.3 accept-proxy", out var bind, out _));
        var errors = new List<ValidationError>();
        ConfigValidator.ValidateFrontend(new Frontend { Name = "db", Mode = Mode.Tcp, DefaultBackend = "b", Binds = { bind } }, "frontend 'db'", errors);
        Assert.Empty(errors);
    }

    [Fact]
    public void Publish_RefusesUnknownCertificateAndBindCertificateWithoutKey_AndUnknownCaFile()
    {
        Assert.True(BindAddress.TryParse("*:443 ssl crt missing.pem crt nokey.pem", out var bind, out _));
        var config = new Config
        {
            Frontends = { new Frontend { Name = "web", DefaultBackend = "app", Binds = { bind } } },
            Backends =
            {
                new Backend
                {
                    Name = "app",
                    Servers = { new Server { Name = "s1", Address = "10.0.0.1", Port = 443, Ssl = true, CaFile = "ca.pem" } },
                },
            },
            Certificates = { new Certificate { Name = "nokey.pem", CertPem = "x" } },
        };
        var messages = ConfigValidator.ValidateConfig(config).Select(e => e.ToString()).ToArray();
        Assert.Contains(messages, m => m.Contains("binds[0]: crt: certificate 'missing.pem' does not exist", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("binds[0]: crt: certificate 'nokey.pem' has no private key", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("server 's1': caFile: certificate 'ca.pem' does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public void VerifyRequired_WithAnIpAddressAndNoSni_IsAllowed()
    {
        var errors = new List<ValidationError>();
        ConfigValidator.ValidateServer(new Server { Name = "s1", Address = "10.0.0.1", Port = 443, Ssl = true, Verify = ServerVerify.Required }, "s", errors);
        Assert.Empty(errors);
        ConfigValidator.ValidateServer(new Server { Name = "s1", Address = "10.0.0.1", Port = 443, Ssl = true, Sni = "bad name" }, "s", errors);
        Assert.Equal("sni", Assert.Single(errors).Field);
    }
}
