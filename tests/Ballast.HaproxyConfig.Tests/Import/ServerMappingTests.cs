using Ballast.HaproxyConfig.Import;
using Ballast.HaproxyConfig.Tests.Support;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Tests.Import;

/// <summary><c>server</c> and <c>default-server</c> lines (HAProxy manual, sections 4.2 and 5.2).</summary>
public sealed class ServerMappingTests
{
    private static ImportResult Import(params string[] lines) =>
        HaproxyImporter.Import("backend b\n" + string.Concat(lines.Select(l => $"    {l}\n")));

    [Fact]
    public void Maps_the_issue_example_server_line()
    {
        var result = Import("server s1 10.0.0.1:80 weight 5 maxconn 100 check inter 3s rise 3 fall 2");
        result.NoErrors();
        var backend = result.Backend("b");
        var server = Assert.Single(backend.Servers);
        Assert.Equal(new Server { Name = "s1", Address = "10.0.0.1", Port = 80, Weight = 5, Maxconn = 100, Check = true }, server);
        Assert.Equal(HealthCheckType.HealthCheckTcp, backend.HealthCheck.Type);
        Assert.Equal((3000u, 3u, 2u), (backend.HealthCheck.InterMs, backend.HealthCheck.Rise, backend.HealthCheck.Fall));
        Assert.Empty(result.Report.Findings);
    }

    [Fact]
    public void Unset_weight_stays_unset_and_zero_weight_is_kept()
    {
        var result = Import("server a 10.0.0.1:80", "server b 10.0.0.2:80 weight 0");
        Assert.False(result.Backend("b").Servers[0].HasWeight);
        Assert.True(result.Backend("b").Servers[1].HasWeight);
        Assert.Equal(0u, result.Backend("b").Servers[1].Weight);
    }

    [Fact]
    public void Disabled_is_maintenance_and_enabled_cancels_a_default_server_disabled()
    {
        var result = Import("server a 10.0.0.1:80 disabled", "default-server disabled", "server b 10.0.0.2:80", "server c 10.0.0.3:80 enabled");
        Assert.Equal(new[] { ServerState.Maint, ServerState.Maint, ServerState.Ready }, result.Backend("b").Servers.Select(s => s.State));
    }

    [Fact]
    public void Default_server_applies_to_the_servers_declared_after_it()
    {
        var result = Import("server a 10.0.0.1:80", "default-server check weight 7 maxconn 9", "server b 10.0.0.2:80", "server c 10.0.0.3:80 no-check weight 1");
        var servers = result.Backend("b").Servers;
        Assert.Equal(new[] { false, true, false }, servers.Select(s => s.Check));
        Assert.Equal(new[] { false, true, true }, servers.Select(s => s.HasWeight));
        Assert.Equal(new[] { 0u, 7u, 1u }, servers.Select(s => s.Weight));
        Assert.Equal(new[] { 0u, 9u, 9u }, servers.Select(s => s.Maxconn));
    }

    [Fact]
    public void Default_server_of_a_defaults_section_is_inherited()
    {
        var result = HaproxyImporter.Import("defaults\n  default-server check inter 4s\nbackend b\n  server a 10.0.0.1:80\n");
        Assert.True(result.Backend("b").Servers[0].Check);
        Assert.Equal(4000u, result.Backend("b").HealthCheck.InterMs);
    }

    [Fact]
    public void Servers_disagreeing_on_check_timing_keep_the_first_and_are_reported_at_the_option()
    {
        var result = Import(
            "server a 10.0.0.1:80 check inter 3s rise 3",
            "server b 10.0.0.2:80 check inter 3s rise 3",
            "server c 10.0.0.3:80 check inter 5s rise 3",
            "server d 10.0.0.4:80 check",
            "server e 10.0.0.5:80 inter 9s");
        var health = result.Backend("b").HealthCheck;
        Assert.Equal((3000u, 3u, 0u), (health.InterMs, health.Rise, health.Fall));
        var c = result.Finding(4, "server inter");
        Assert.Equal((FindingSeverity.Unsupported, 32), (c.Severity, c.Column));
        Assert.StartsWith("unsupported: per-server check timing differs", c.Reason, StringComparison.Ordinal);
        result.HasFinding(5, "server inter", FindingSeverity.Unsupported, "this server has 2s (default)");
        result.HasFinding(5, "server rise", FindingSeverity.Unsupported, "per-server check timing differs");
        Assert.DoesNotContain(result.Report.Findings, f => f.Line is 3 or 6);
    }

    [Fact]
    public void Unsupported_server_options_are_reported_at_their_column_and_the_server_is_kept()
    {
        var result = Import("server a 10.0.0.1:443 check ssl verify none backup cookie a1 send-proxy-v2 slowstart 30s no-tfo");
        var server = Assert.Single(result.Backend("b").Servers);
        Assert.True(server.Check);
        Assert.True(server.Backup);
        Assert.Equal(30000u, server.SlowstartMs);
        Assert.Equal("a1", server.Cookie);
        Assert.Equal(Ballast.Proto.V1.ProxyProtocolVersion.ProxyProtocolV2, server.SendProxy);
        var findings = result.Report.Findings.Select(f => (f.Keyword, f.Column, f.Severity)).ToArray();
        Assert.Equal(new[]
        {
            ("server no-tfo", 94, FindingSeverity.Ignored),
        }, findings);
        Assert.Equal((true, Ballast.Proto.V1.ServerVerify.None), (server.Ssl, server.Verify));
    }

    [Fact]
    public void Maps_backup_slowstart_check_port_addr_fastinter_and_downinter()
    {
        var result = Import(
            "default-server fastinter 500 downinter 5s",
            "server pg1 10.0.0.1:5432 check port 8008 addr 10.0.1.1 slowstart 10s",
            "server pg2 10.0.0.2:5432 check port 8008 backup");
        result.NoErrors();
        Assert.Empty(result.Report.Findings);
        var backend = result.Backend("b");
        Assert.Equal(
            new Server { Name = "pg1", Address = "10.0.0.1", Port = 5432, Check = true, CheckPort = 8008, CheckAddr = "10.0.1.1", SlowstartMs = 10000 },
            backend.Servers[0]);
        Assert.Equal(new Server { Name = "pg2", Address = "10.0.0.2", Port = 5432, Check = true, CheckPort = 8008, Backup = true }, backend.Servers[1]);
        Assert.Equal((500u, 5000u), (backend.HealthCheck.FastinterMs, backend.HealthCheck.DowninterMs));
    }

    [Fact]
    public void Maps_maxqueue_with_default_server_and_reports_nothing()
    {
        var result = Import("default-server maxqueue 7", "server a 10.0.0.1:80 maxconn 5", "server b 10.0.0.2:80 maxconn 5 maxqueue 0");
        result.NoErrors();
        Assert.Empty(result.Report.Findings);
        Assert.Equal((7u, 0u), (result.Backend("b").Servers[0].Maxqueue, result.Backend("b").Servers[1].Maxqueue));
    }

    [Fact]
    public void Source_with_usesrc_and_interface_is_one_finding()
    {
        var result = Import("server a 10.0.0.1:80 source 10.0.0.9 usesrc clientip interface eth0 check");
        Assert.Equal("server source", Assert.Single(result.Report.Findings).Keyword);
        Assert.True(result.Backend("b").Servers[0].Check);
    }

    [Theory]
    [InlineData("server a 10.0.0.1", "client's destination port")]
    [InlineData("server a 10.0.0.1:+1000", "client's destination port")]
    [InlineData("server a 10.0.0.1:0", "client's destination port")]
    [InlineData("server a /var/run/app.sock", "UNIX socket")]
    [InlineData("server a unix@app.sock", "'unix@'")]
    public void Servers_the_model_cannot_hold_are_reported_and_left_out(string line, string reason)
    {
        var result = Import(line);
        result.HasFinding(2, "server", FindingSeverity.Unsupported, reason);
        Assert.Empty(result.Backend("b").Servers);
    }

    [Theory]
    [InlineData("server a [fd00::1]:80", "fd00::1", 80u)]
    [InlineData("server a ::1:81", "::1", 81u)]
    [InlineData("server a ipv6@fd00::2:82", "fd00::2", 82u)]
    [InlineData("server a db.internal:5432", "db.internal", 5432u)]
    public void Server_addresses_may_be_ipv6_or_host_names(string line, string address, uint port)
    {
        var server = Assert.Single(Import(line).Backend("b").Servers);
        Assert.Equal((address, port), (server.Address, server.Port));
    }

    [Theory]
    [InlineData("server a 10.0.0.1:80 weight 257", 33, "from 0 to 256")]
    [InlineData("server a 10.0.0.1:80 weight", 33, "expects an integer")]
    [InlineData("server a 10.0.0.1:80 maxconn x", 34, "expects an integer")]
    [InlineData("server a 10.0.0.1:80 rise 0", 31, "from 1 to")]
    [InlineData("server a 10.0.0.1:80 inter 3x", 32, "unknown time unit")]
    [InlineData("server a 10.0.0.1:99999", 14, "invalid port")]
    [InlineData("server a", 14, "expects <name> and <address>")]
    [InlineData("server a/b 10.0.0.1:80", 12, "character '/'")]
    public void Invalid_values_are_errors_at_their_column(string line, int column, string message)
    {
        var finding = Assert.Single(Import(line).Report.Findings, f => f.Severity == FindingSeverity.Error);
        Assert.Equal((2, column), (finding.Line, finding.Column));
        Assert.Contains(message, finding.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_server_names_are_errors()
    {
        var result = Import("server a 10.0.0.1:80", "server a 10.0.0.2:80");
        result.HasFinding(3, "server", FindingSeverity.Error, "another server named 'a'");
        Assert.Single(result.Backend("b").Servers);
    }

    [Fact]
    public void Server_in_a_frontend_is_an_error_as_in_haproxy()
    {
        var result = HaproxyImporter.Import("frontend f\n  server a 10.0.0.1:80\n");
        result.HasFinding(2, "server", FindingSeverity.Error, "no backend capability");
    }

    [Fact]
    public void Default_server_without_options_is_reported_as_having_no_effect()
    {
        var result = Import("default-server");
        result.HasFinding(2, "default-server", FindingSeverity.Ignored, "without options");
    }

    [Fact]
    public void Server_template_is_reported()
    {
        var result = Import("server-template app 3 app.service.consul:8080 check");
        result.HasFinding(2, "server-template", FindingSeverity.Unsupported, "not in the Ballast model yet");
    }
}
