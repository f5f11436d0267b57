using Ballast.HaproxyConfig.Import;
using Ballast.HaproxyConfig.Tests.Support;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Tests.Import;

/// <summary>Proxy sections, listen and defaults inheritance (HAProxy manual, section 4).</summary>
public sealed class ProxyMappingTests
{
    private static ImportResult Import(string text) => HaproxyImporter.Import(text + "\n");

    [Fact]
    public void Without_a_mode_a_proxy_is_tcp_as_in_haproxy()
    {
        var result = Import("frontend f\n  bind :80\n  default_backend b\nbackend b\n  server s 10.0.0.1:80");
        Assert.Equal(Mode.Tcp, result.Frontend("f").Mode);
        Assert.Equal(Mode.Tcp, result.Backend("b").Mode);
    }

    [Fact]
    public void Frontend_maps_mode_binds_maxconn_and_default_backend()
    {
        var result = Import("frontend f\n  mode http\n  bind :80\n  maxconn 1000\n  default_backend b\nbackend b\n  mode http");
        result.NoErrors();
        var frontend = result.Frontend("f");
        Assert.Equal(Mode.Http, frontend.Mode);
        Assert.Equal(1000u, frontend.Maxconn);
        Assert.Equal("b", frontend.DefaultBackend);
        Assert.Equal(new Bind { Address = "*", Port = 80 }, Assert.Single(frontend.Binds));
    }

    [Fact]
    public void Listen_becomes_a_frontend_and_a_backend_of_the_same_name()
    {
        var result = Import("listen app\n  mode http\n  bind :8080\n  maxconn 50\n  balance leastconn\n  server s1 10.0.0.1:80 check");
        result.NoErrors();
        var frontend = result.Frontend("app");
        Assert.Equal("app", frontend.DefaultBackend);
        Assert.Equal(50u, frontend.Maxconn);
        var backend = result.Backend("app");
        Assert.Equal(Balance.Leastconn, backend.Balance);
        Assert.Equal(Mode.Http, backend.Mode);
        Assert.Single(backend.Servers);
    }

    [Fact]
    public void Listen_with_default_backend_routes_there()
    {
        var result = Import("listen l\n  bind :80\n  default_backend other\nbackend other\n  server s 10.0.0.1:80");
        Assert.Equal("other", result.Frontend("l").DefaultBackend);
    }

    [Fact]
    public void Proxies_inherit_the_last_defaults_section_before_them()
    {
        var text = """
            defaults
                mode http
                balance leastconn
                maxconn 300
            backend a
                server s 10.0.0.1:80
            defaults
                mode tcp
            backend b
                server s 10.0.0.1:80
            frontend f
                bind :80
                default_backend b
            """;
        var result = Import(text);
        Assert.Equal((Mode.Http, Balance.Leastconn), (result.Backend("a").Mode, result.Backend("a").Balance));
        Assert.Equal((Mode.Tcp, Balance.Roundrobin), (result.Backend("b").Mode, result.Backend("b").Balance));
        Assert.Equal(0u, result.Frontend("f").Maxconn);
    }

    [Fact]
    public void Named_defaults_chain_with_from_and_proxies_pick_them_with_from()
    {
        var text = """
            defaults base
                mode http
                balance leastconn
                maxconn 100
            defaults tcp from base
                mode tcp
            defaults
                mode http
            frontend f from tcp
                bind :80
                default_backend b
            backend b from tcp
                server s 10.0.0.1:80
            backend c
                server s 10.0.0.1:80
            """;
        var result = Import(text);
        Assert.Equal((Mode.Tcp, 100u), (result.Frontend("f").Mode, result.Frontend("f").Maxconn));
        Assert.Equal((Mode.Tcp, Balance.Leastconn), (result.Backend("b").Mode, result.Backend("b").Balance));
        Assert.Equal((Mode.Http, Balance.Roundrobin), (result.Backend("c").Mode, result.Backend("c").Balance));
    }

    [Fact]
    public void From_an_unknown_defaults_section_is_an_error_and_the_section_is_not_imported()
    {
        var result = Import("backend b from nowhere\n  server s 10.0.0.1:80");
        result.HasFinding(1, "backend", FindingSeverity.Error, "defaults section 'nowhere' not found");
        Assert.Equal(16, result.Finding(1, "backend").Column);
        result.HasFinding(2, "server", FindingSeverity.Ignored, "not imported");
        Assert.Empty(result.Config.Backends);
    }

    [Fact]
    public void From_an_ambiguous_defaults_name_is_an_error()
    {
        var result = Import("defaults d\n  mode tcp\ndefaults d\n  mode http\nbackend b from d\n  server s 10.0.0.1:80");
        result.HasFinding(5, "backend", FindingSeverity.Error, "ambiguous");
    }

    [Fact]
    public void Maxconn_in_a_backend_is_ignored_as_haproxy_does()
    {
        var result = Import("backend b\n  maxconn 10\n  server s 10.0.0.1:80");
        result.HasFinding(2, "maxconn", FindingSeverity.Ignored, "no frontend capability");
    }

    [Fact]
    public void Default_backend_in_a_backend_is_ignored_as_haproxy_does()
    {
        var result = Import("backend b\n  default_backend c");
        result.HasFinding(2, "default_backend", FindingSeverity.Ignored, "no frontend capability");
    }

    [Fact]
    public void Default_backend_may_come_from_defaults()
    {
        var result = Import("defaults\n  default_backend b\nfrontend f\n  bind :80\nbackend b\n  server s 10.0.0.1:80");
        Assert.Equal("b", result.Frontend("f").DefaultBackend);
        result.NoErrors();
    }

    [Fact]
    public void A_missing_default_backend_is_an_error_at_the_line_that_names_it()
    {
        var result = Import("defaults\n  default_backend nope\nfrontend f\n  bind :80");
        var finding = result.Finding(2, "default_backend");
        Assert.Equal((FindingSeverity.Error, 19, "defaults"), (finding.Severity, finding.Column, finding.Section));
        Assert.Contains("unable to find required default_backend: 'nope'", finding.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_http_frontend_using_a_tcp_backend_is_an_error_and_the_reverse_is_unsupported()
    {
        var result = Import("frontend h\n  mode http\n  bind :80\n  default_backend t\nfrontend t\n  mode tcp\n  bind :81\n  default_backend h\nbackend t\n  mode tcp\nbackend h\n  mode http");
        result.HasFinding(4, "default_backend", FindingSeverity.Error, "incompatible tcp backend");
        result.HasFinding(8, "default_backend", FindingSeverity.Unsupported, "upgrading to http backend");
    }

    [Fact]
    public void A_frontend_without_bind_or_default_backend_is_imported_with_warnings()
    {
        var result = Import("frontend f\n  mode http");
        var findings = result.Report.Findings.Where(f => f.Line == 1).Select(f => (f.Severity, f.Keyword)).ToArray();
        Assert.Equal(new[] { (FindingSeverity.Warning, "frontend"), (FindingSeverity.Warning, "frontend") }, findings);
        Assert.Single(result.Config.Frontends);
    }

    [Fact]
    public void Duplicate_proxy_names_are_errors_but_a_frontend_and_a_backend_may_share_one()
    {
        var result = Import("frontend x\n  bind :80\n  default_backend x\nbackend x\n  server s 10.0.0.1:80\nbackend x\n  server s 10.0.0.2:80\nlisten x\n  bind :81");
        result.HasFinding(6, "backend", FindingSeverity.Error, "same name as the backend declared at line 4");
        Assert.Single(result.Config.Backends);
        Assert.Contains(result.Report.Findings, f => f.Line == 8 && f.Severity == FindingSeverity.Error && f.Reason.Contains("frontend 'x'"));
    }

    [Theory]
    [InlineData("backend a/b", "character '/' is not permitted")]
    [InlineData("backend", "expects a name")]
    [InlineData("backend b extra", "unexpected argument 'extra'")]
    [InlineData("frontend f from", "expects the name of a defaults section")]
    public void Invalid_section_lines_are_errors(string header, string message)
    {
        var result = Import(header + "\n  mode http");
        Assert.Contains(result.Report.Findings, f => f.Line == 1 && f.Severity == FindingSeverity.Error && f.Reason.Contains(message));
        Assert.Empty(result.Config.Backends);
    }

    [Fact]
    public void Names_longer_than_the_model_allows_are_unsupported()
    {
        var name = new string('b', 65);
        var result = Import($"backend {name}\n  server s 10.0.0.1:80");
        result.HasFinding(1, "backend", FindingSeverity.Unsupported, "longer than 64");
        Assert.Empty(result.Config.Backends);
    }

    [Fact]
    public void The_1x_address_on_a_listen_line_is_imported_as_a_bind_with_a_warning()
    {
        var result = Import("listen web 0.0.0.0:80\n  server s 10.0.0.1:80");
        result.HasFinding(1, "listen", FindingSeverity.Warning, "HAProxy 1.x syntax");
        Assert.Equal(new Bind { Address = "0.0.0.0", Port = 80 }, Assert.Single(result.Frontend("web").Binds));
    }
}
