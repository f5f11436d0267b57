using Ballast.HaproxyConfig.Export;
using Ballast.HaproxyConfig.Import;
using Ballast.HaproxyConfig.Tests.Support;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Tests.Export;

/// <summary>What the exported haproxy.cfg says.</summary>
public sealed class HaproxyExporterTests
{
    private static string[] Lines(string text) => text.Split('\n').Select(l => l.Trim()).ToArray();

    [Fact]
    public void Writes_global_defaults_frontends_and_backends()
    {
        var lines = Lines(HaproxyExporter.Export(Configs.Web()));
        Assert.Equal(
            new[] { "global", "defaults", "frontend web", "backend app" },
            lines.Where(l => l is "global" or "defaults" || l.StartsWith("frontend ", StringComparison.Ordinal) || l.StartsWith("backend ", StringComparison.Ordinal)));
        Assert.Contains("mode http", lines);
        Assert.Contains("timeout connect 5s", lines);
        Assert.Contains("bind *:80", lines);
        Assert.Contains("bind [::1]:8443", lines);
        Assert.Contains("maxconn 5000", lines);
        Assert.Contains("default_backend app", lines);
        Assert.Contains("balance leastconn", lines);
        Assert.Contains("option httpchk", lines);
        Assert.Contains("http-check send meth GET uri /health?deep=1", lines);
        Assert.Contains("http-check expect status 204", lines);
        Assert.Contains("timeout check 1500ms", lines);
        Assert.Contains("default-server inter 3s rise 3 fall 2", lines);
        Assert.Contains("server s1 10.0.0.1:80 check weight 5 maxconn 100", lines);
        Assert.Contains("server s2 10.0.0.2:80 check weight 0", lines);
        Assert.Contains("server s3 10.0.0.3:8080 check disabled", lines);
        Assert.Contains("server s4 [fd00::4]:80", lines);
    }

    [Fact]
    public void Checks_are_written_only_when_the_backend_has_a_check_type()
    {
        var config = new Config();
        var backend = new Backend { Name = "b", HealthCheck = new HealthCheck { Type = HealthCheckType.HealthCheckNone } };
        backend.Servers.Add(new Server { Name = "s", Address = "10.0.0.1", Port = 80, Check = true });
        config.Backends.Add(backend);
        var lines = Lines(HaproxyExporter.Export(config));
        Assert.Contains("server s 10.0.0.1:80", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("option", StringComparison.Ordinal));
    }

    [Fact]
    public void A_tcp_check_is_option_tcp_check()
    {
        var config = Configs.TcpAndBalances();
        var text = HaproxyExporter.Export(config);
        Assert.Contains("backend db\n    mode tcp\n    balance first\n    option tcp-check\n    default-server inter 10s\n    server a 192.168.0.10:9000 check\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_draining_server_is_written_with_weight_0_and_a_comment_and_reads_back_as_ready_with_weight_0()
    {
        var config = Configs.Web();
        config.Backends[0].Servers[0].State = ServerState.Drain;
        var text = HaproxyExporter.Export(config);
        Assert.Contains("# server s1 is draining in Ballast (weight 5)", text, StringComparison.Ordinal);
        Assert.Contains("server s1 10.0.0.1:80 check weight 0 maxconn 100\n", text, StringComparison.Ordinal);
        var server = HaproxyImporter.Import(text).Backend("app").Servers[0];
        Assert.Equal((ServerState.Ready, true, 0u), (server.State, server.HasWeight, server.Weight));
    }

    [Fact]
    public void Balance_arguments_and_hash_type_are_written()
    {
        var text = HaproxyExporter.Export(Configs.BalanceArguments());
        Assert.Contains("    balance uri len 10 depth 2 path-only whole\n", text, StringComparison.Ordinal);
        Assert.Contains("    balance uri depth 3\n    hash-type consistent\n", text, StringComparison.Ordinal);
        Assert.Contains("    balance url_param userid\n    hash-type map-based djb2\n", text, StringComparison.Ordinal);
        Assert.Contains("    balance hdr(Host) use_domain_only\n    hash-type consistent wt6 avalanche\n", text, StringComparison.Ordinal);
        Assert.Contains("    balance hdr(X-Tenant)\n    hash-type map-based crc32 avalanche\n", text, StringComparison.Ordinal);
        Assert.Contains("    balance random(3)\n", text, StringComparison.Ordinal);
        Assert.Contains("    balance source\n    hash-type consistent sdbm\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("# the Ballast model has no", text, StringComparison.Ordinal);
        var plain = HaproxyExporter.Export(Configs.TcpAndBalances());
        Assert.Contains("    balance hdr(host)\n", plain, StringComparison.Ordinal);
        Assert.Contains("    balance url_param id\n", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("hash-type", plain, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_uses_line_feeds_and_ends_with_one()
    {
        var text = HaproxyExporter.Export(Configs.Web());
        Assert.DoesNotContain('\r', text);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_configuration_exports_global_and_defaults_only()
    {
        var text = HaproxyExporter.Export(new Config());
        Assert.True(HaproxyImporter.Import(text).Succeeded);
        Assert.Equal(new Config(), HaproxyImporter.Import(text).Config);
    }
}
