using Ballast.HaproxyConfig.Import;
using Ballast.HaproxyConfig.Tests.Support;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Tests.Import;

/// <summary>TLS on binds and servers (HAProxy manual, sections 5.1 and 5.2): certificate files become certificate names.</summary>
public sealed class TlsMappingTests
{
    private static ImportResult Import(string bindLine, string serverLine = "server s 10.0.0.1:80") =>
        HaproxyImporter.Import($"frontend f\n    mode http\n    {bindLine}\n    default_backend b\nbackend b\n    mode http\n    {serverLine}\n");

    [Fact]
    public void Bind_certificates_are_named_by_base_name_and_listed_for_upload()
    {
        var result = Import("bind :443,:8443 ssl crt /etc/haproxy/certs/site.pem crt /etc/haproxy/certs/api.example.pem ssl-min-ver TLSv1.3");
        result.NoErrors();
        Assert.Empty(result.Report.Findings);
        var binds = result.Frontend("f").Binds;
        Assert.Equal(2, binds.Count);
        Assert.All(binds, b =>
        {
            Assert.True(b.Ssl);
            Assert.Equal(["site.pem", "api.example.pem"], b.Certificates);
            Assert.Equal(TlsVersion.Tls13, b.SslMinVer);
        });
        Assert.Equal(
            [new CertificateFile("site.pem", "/etc/haproxy/certs/site.pem", 3, 29, "frontend f", true),
             new CertificateFile("api.example.pem", "/etc/haproxy/certs/api.example.pem", 3, 61, "frontend f", true)],
            result.Report.CertificateFiles);
    }

    [Fact]
    public void Crt_directory_and_crt_list_are_unsupported_and_the_bind_is_imported_without_tls()
    {
        var result = Import("bind :443 ssl crt /etc/haproxy/certs/ crt-list /etc/haproxy/list.txt");
        result.HasFinding(3, "bind crt", FindingSeverity.Unsupported, "looks like a directory");
        result.HasFinding(3, "bind crt-list", FindingSeverity.Unsupported, "crt-list is not in the Ballast model");
        result.HasFinding(3, "bind ssl", FindingSeverity.Unsupported, "imported without TLS");
        var bind = Assert.Single(result.Frontend("f").Binds);
        Assert.False(bind.Ssl);
        Assert.Empty(bind.Certificates);
        Assert.Empty(result.Report.CertificateFiles);
    }

    [Fact]
    public void Ssl_without_crt_is_an_error_as_in_haproxy()
    {
        var result = Import("bind :443 ssl");
        result.HasFinding(3, "bind", FindingSeverity.Error, "no SSL certificate specified");
    }

    [Fact]
    public void Crt_and_alpn_without_ssl_do_nothing_as_in_haproxy()
    {
        var result = Import("bind :443 crt /etc/site.pem alpn h2");
        result.NoErrors();
        result.HasFinding(3, "bind crt", FindingSeverity.Ignored, "no effect without 'ssl'");
        result.HasFinding(3, "bind alpn", FindingSeverity.Ignored, "no effect without 'ssl'");
        Assert.Equal(new Bind { Address = "*", Port = 443 }, Assert.Single(result.Frontend("f").Binds));
    }

    [Fact]
    public void Unknown_alpn_protocols_are_left_out()
    {
        var result = Import("bind :443 ssl crt site.pem alpn h3,h2");
        result.HasFinding(3, "bind alpn", FindingSeverity.Unsupported, "'h3'");
        Assert.Equal(["h2"], Assert.Single(result.Frontend("f").Binds).Alpn);
    }

    [Fact]
    public void Two_files_with_the_same_base_name_are_an_error()
    {
        var result = Import("bind :443 ssl crt /a/site.pem crt /b/site.pem");
        result.HasFinding(3, "bind", FindingSeverity.Error, "same base name 'site.pem'");
    }

    [Fact]
    public void Server_ssl_verify_ca_file_and_sni_are_mapped()
    {
        var result = Import("bind :80", "server s 10.0.0.1:443 ssl verify required ca-file /etc/haproxy/ca/internal.pem sni str(api.internal)");
        result.NoErrors();
        Assert.Empty(result.Report.Findings);
        var server = Assert.Single(result.Backend("b").Servers);
        Assert.Equal((true, ServerVerify.Required, "internal.pem", "api.internal"), (server.Ssl, server.Verify, server.CaFile, server.Sni));
        var file = Assert.Single(result.Report.CertificateFiles);
        Assert.Equal(("internal.pem", false), (file.Name, file.NeedsKey));
    }

    [Fact]
    public void Default_server_tls_is_inherited_and_system_ca_is_the_empty_ca_file()
    {
        var result = HaproxyImporter.Import(
            "backend b\n    default-server ssl verify required ca-file @system-ca\n    server s1 10.0.0.1:443\n    server s2 10.0.0.2:80 no-ssl\n");
        result.NoErrors();
        var servers = result.Backend("b").Servers;
        Assert.Equal((true, ServerVerify.Required, string.Empty), (servers[0].Ssl, servers[0].Verify, servers[0].CaFile));
        Assert.False(servers[1].Ssl);
        Assert.Empty(result.Report.CertificateFiles);
    }

    [Fact]
    public void Verify_required_without_ca_file_is_a_warning_and_other_sni_expressions_are_unsupported()
    {
        var result = Import("bind :80", "server s 10.0.0.1:443 ssl sni req.hdr(host)");
        result.HasFinding(7, "server ssl", FindingSeverity.Warning, "refuses 'verify required'");
        result.HasFinding(7, "server sni", FindingSeverity.Unsupported, "sni str(<name>)");
        Assert.Equal(string.Empty, Assert.Single(result.Backend("b").Servers).Sni);
    }

    [Fact]
    public void Server_tls_options_without_ssl_are_ignored()
    {
        var result = Import("bind :80", "server s 10.0.0.1:80 verify none sni str(x.test)");
        result.NoErrors();
        result.HasFinding(7, "server verify", FindingSeverity.Ignored, "no effect without 'ssl'");
        result.HasFinding(7, "server sni", FindingSeverity.Ignored, "no effect without 'ssl'");
        var server = Assert.Single(result.Backend("b").Servers);
        Assert.Equal((false, ServerVerify.Required, string.Empty), (server.Ssl, server.Verify, server.Sni));
    }
}
