using Ballast.HaproxyConfig.Import;
using Ballast.HaproxyConfig.Tests.Support;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Tests.Import;

/// <summary><c>bind</c> lines (HAProxy manual, sections 4.2 "bind", 5.1 and 11).</summary>
public sealed class BindMappingTests
{
    private static ImportResult Import(string bindLine) =>
        HaproxyImporter.Import($"frontend f\n    {bindLine}\n    default_backend b\nbackend b\n    server s 10.0.0.1:80\n");

    private static string[] Binds(ImportResult result) =>
        result.Frontend("f").Binds.Select(b => $"{b.Address}|{b.Port}").ToArray();

    [Theory]
    [InlineData("bind :80", new[] { "*|80" })]
    [InlineData("bind *:80", new[] { "*|80" })]
    [InlineData("bind 0.0.0.0:80", new[] { "0.0.0.0|80" })]
    [InlineData("bind 1.2.3.4:80,1.2.3.4:81", new[] { "1.2.3.4|80", "1.2.3.4|81" })]
    [InlineData("bind :80,:443", new[] { "*|80", "*|443" })]
    [InlineData("bind [::1]:8443", new[] { "::1|8443" })]
    [InlineData("bind :::80", new[] { "::|80" })]
    [InlineData("bind ipv6@:80", new[] { "::|80" })]
    [InlineData("bind ipv4@127.0.0.1:80", new[] { "127.0.0.1|80" })]
    [InlineData("bind 10.0.0.1:8000-8003", new[] { "10.0.0.1|8000", "10.0.0.1|8001", "10.0.0.1|8002", "10.0.0.1|8003" })]
    [InlineData("bind :8000-8015", new[] { "*|8000", "*|8001", "*|8002", "*|8003", "*|8004", "*|8005", "*|8006", "*|8007", "*|8008", "*|8009", "*|8010", "*|8011", "*|8012", "*|8013", "*|8014", "*|8015" })]
    public void Maps_every_address_of_the_list(string line, string[] expected)
    {
        var result = Import(line);
        result.NoErrors();
        Assert.Equal(expected, Binds(result));
    }

    [Fact]
    public void A_port_range_over_16_ports_is_reported_and_left_out()
    {
        var result = Import("bind :8000-8016,:80");
        result.HasFinding(2, "bind", FindingSeverity.Unsupported, "port range over 16 ports");
        Assert.Equal(new[] { "*|80" }, Binds(result));
    }

    [Theory]
    [InlineData("bind /var/run/app.sock", "UNIX socket")]
    [InlineData("bind unix@app.sock", "'unix@'")]
    [InlineData("bind abns@app", "'abns@'")]
    [InlineData("bind fd@3", "'fd@'")]
    [InlineData("bind quic4@:443", "'quic4@'")]
    [InlineData("bind ipv4@public_ssl:443", "host name 'public_ssl'")]
    [InlineData("bind www.example.com:80", "host name")]
    public void Addresses_the_model_cannot_hold_are_reported(string line, string reason)
    {
        var result = Import(line);
        result.HasFinding(2, "bind", FindingSeverity.Unsupported, reason);
        Assert.Empty(result.Frontend("f").Binds);
    }

    [Theory]
    [InlineData("bind 10.0.0.1")]
    [InlineData("bind :0")]
    [InlineData("bind :65536")]
    [InlineData("bind :90-80")]
    [InlineData("bind :http")]
    [InlineData("bind")]
    public void Invalid_ports_are_errors(string line)
    {
        var result = Import(line);
        Assert.Contains(result.Report.Findings, f => f.Line == 2 && f.Severity == FindingSeverity.Error);
    }

    [Fact]
    public void Tls_and_proxy_options_are_mapped_and_other_options_reported_at_their_column()
    {
        var result = Import("bind :443 ssl crt /etc/ssl/site.pem alpn h2,http/1.1 accept-proxy defer-accept");
        Assert.Equal(new[] { "*|443" }, Binds(result));
        var options = result.Report.Findings.Where(f => f.Line == 2).Select(f => (f.Keyword, f.Column)).ToArray();
        Assert.Equal(new[] { ("bind defer-accept", 71) }, options);
        var bind = Assert.Single(result.Config.Frontends[0].Binds);
        Assert.Equal((true, true), (bind.Ssl, bind.AcceptProxy));
        Assert.Equal(["site.pem"], bind.Certificates);
        Assert.Equal(["h2", "http/1.1"], bind.Alpn);
    }

    [Fact]
    public void Bind_is_an_error_in_a_backend_or_defaults_section()
    {
        var result = HaproxyImporter.Import("defaults\n  bind :80\nbackend b\n  bind :81\n");
        result.HasFinding(2, "bind", FindingSeverity.Error, "not allowed in a defaults section");
        result.HasFinding(4, "bind", FindingSeverity.Error, "not allowed in a backend section");
    }
}
