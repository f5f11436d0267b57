using Ballast.HaproxyConfig.Import;
using Ballast.HaproxyConfig.Tests.Support;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Tests.Import;

/// <summary>Health checks: option httpchk, http-check, timeout check, option tcp-check (HAProxy manual, section 4.2).</summary>
public sealed class HealthCheckMappingTests
{
    private static ImportResult Import(params string[] lines) =>
        HaproxyImporter.Import("backend b\n" + string.Concat(lines.Select(l => $"    {l}\n")) + "    server s 10.0.0.1:80 check\n");

    private static HealthCheck Health(ImportResult result) => result.Backend("b").HealthCheck;

    [Theory]
    [InlineData("option httpchk", "", "")]
    [InlineData("option httpchk /health", "", "/health")]
    [InlineData("option httpchk GET /health", "GET", "/health")]
    [InlineData("option httpchk HEAD / HTTP/1.1", "HEAD", "/")]
    public void Option_httpchk_forms_set_method_and_path(string line, string method, string path)
    {
        var health = Health(Import(line));
        Assert.Equal((HealthCheckType.HealthCheckHttp, method, path), (health.Type, health.HttpMethod, health.HttpPath));
    }

    [Fact]
    public void The_version_argument_of_option_httpchk_is_reported()
    {
        var result = Import("option httpchk OPTIONS * HTTP/1.1\\r\\nHost:\\ www");
        result.HasFinding(2, "option httpchk", FindingSeverity.Unsupported, "HTTP version and headers");
        Assert.Equal(30, result.Finding(2, "option httpchk").Column);
    }

    [Fact]
    public void Http_check_send_sets_method_and_path_and_reports_the_rest()
    {
        var result = Import("option httpchk", "http-check send meth POST uri /ping ver HTTP/1.1 hdr Host example.com body ok");
        var health = Health(result);
        Assert.Equal(("POST", "/ping"), (health.HttpMethod, health.HttpPath));
        Assert.Equal(new[] { "http-check send ver", "http-check send hdr", "http-check send body" }, result.Report.Findings.Select(f => f.Keyword));
    }

    [Fact]
    public void Http_check_send_without_arguments_keeps_the_default_request()
    {
        var result = Import("option httpchk GET /x", "http-check send");
        Assert.Equal(("GET", "/x"), (Health(result).HttpMethod, Health(result).HttpPath));
        Assert.Contains(result.Report.Mapped, m => m.Line == 3);
        Assert.Empty(result.Report.Findings);
    }

    [Fact]
    public void Http_check_expect_status_sets_the_expected_status()
    {
        var health = Health(Import("option httpchk GET /", "http-check expect status 200", "timeout check 1500ms"));
        Assert.Equal((200u, 1500u), (health.ExpectStatus, health.TimeoutMs));
    }

    [Theory]
    [InlineData("http-check expect ! status 500", "!")]
    [InlineData("http-check expect rstring ^OK", "rstring")]
    [InlineData("http-check expect status", "status")]
    [InlineData("http-check expect string OK min-recv", "min-recv")]
    public void Other_expect_rules_are_reported(string line, string word)
    {
        var result = Import("option httpchk", line);
        result.HasFinding(3, "http-check expect", FindingSeverity.Unsupported, "only 'http-check expect status|rstatus|string <pattern>'");
        Assert.Equal(5 + line.IndexOf(word, StringComparison.Ordinal), result.Report.Findings.Single(f => f.Line == 3).Column);
        Assert.Equal((0u, HttpCheckExpect.Default), (Health(result).ExpectStatus, Health(result).ExpectKind));
    }

    [Theory]
    [InlineData("http-check expect status 200-399", HttpCheckExpect.Status, "200-399")]
    [InlineData("http-check expect status 200,201", HttpCheckExpect.Status, "200,201")]
    [InlineData("http-check expect rstatus ^2", HttpCheckExpect.Rstatus, "^2")]
    [InlineData("http-check expect string OK", HttpCheckExpect.String, "OK")]
    public void Expect_status_lists_rstatus_and_string_are_mapped(string line, HttpCheckExpect kind, string value)
    {
        var result = Import("option httpchk", line);
        Assert.Empty(result.Report.Findings);
        Assert.Contains(result.Report.Mapped, m => m.Line == 3 && m.Target.Contains("expect", StringComparison.Ordinal));
        var health = Health(result);
        Assert.Equal((kind, value, 0u), (health.ExpectKind, health.ExpectValue, health.ExpectStatus));
    }

    [Fact]
    public void A_second_expect_rule_is_reported()
    {
        var result = Import("option httpchk", "http-check expect status 200", "http-check expect status 204");
        result.HasFinding(4, "http-check expect", FindingSeverity.Unsupported, "line 3 is used");
        Assert.Equal(200u, Health(result).ExpectStatus);
    }

    [Fact]
    public void A_backend_may_override_an_inherited_expect_rule()
    {
        var result = HaproxyImporter.Import("defaults\n  option httpchk\n  http-check expect status 200\nbackend b\n  http-check expect status 204\n");
        Assert.Equal(204u, Health(result).ExpectStatus);
        Assert.Empty(result.Report.Findings);
    }

    [Fact]
    public void Http_check_rules_without_option_httpchk_are_ignored_as_haproxy_does()
    {
        var result = Import("http-check send meth GET uri /x", "http-check expect status 200");
        Assert.Equal(HealthCheckType.HealthCheckTcp, Health(result).Type);
        result.HasFinding(2, "http-check send", FindingSeverity.Ignored, "without 'option httpchk'");
        result.HasFinding(3, "http-check expect", FindingSeverity.Ignored, "without 'option httpchk'");
    }

    [Fact]
    public void Option_tcp_check_is_a_tcp_check_and_its_rules_are_reported()
    {
        var result = Import("option tcp-check", "tcp-check connect port 6379", "tcp-check send PING\\r\\n", "tcp-check expect string +PONG");
        Assert.Equal(HealthCheckType.HealthCheckTcp, Health(result).Type);
        Assert.Equal(new[] { "tcp-check connect", "tcp-check send", "tcp-check expect" }, result.Report.Findings.Select(f => f.Keyword));
    }

    [Theory]
    [InlineData("option mysql-check user haproxy")]
    [InlineData("option pgsql-check user postgres")]
    [InlineData("option redis-check")]
    [InlineData("option ssl-hello-chk")]
    [InlineData("option smtpchk HELO example.com")]
    [InlineData("option ldap-check")]
    public void Other_check_types_fall_back_to_a_tcp_check_and_are_reported(string line)
    {
        var result = Import(line);
        Assert.Equal(HealthCheckType.HealthCheckTcp, Health(result).Type);
        Assert.Contains("TCP connect check", Assert.Single(result.Report.Findings).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_any_check_the_type_is_none()
    {
        var result = HaproxyImporter.Import("backend b\n  server s 10.0.0.1:80\n");
        Assert.Equal(HealthCheckType.HealthCheckNone, Health(result).Type);
    }

    [Fact]
    public void Option_httpchk_takes_the_check_type_even_without_checked_servers()
    {
        var result = HaproxyImporter.Import("backend b\n  option httpchk\n  server s 10.0.0.1:80\n");
        Assert.Equal(HealthCheckType.HealthCheckHttp, Health(result).Type);
        Assert.False(result.Backend("b").Servers[0].Check);
    }

    [Fact]
    public void Negating_a_check_option_is_an_error_as_in_haproxy()
    {
        var result = Import("no option httpchk");
        result.HasFinding(2, "no option httpchk", FindingSeverity.Error, "not supported for option 'httpchk'");
    }

    [Fact]
    public void Check_keywords_in_a_frontend_are_ignored()
    {
        var result = HaproxyImporter.Import("frontend f\n  option httpchk\n  http-check expect status 200\n  timeout check 2s\n");
        Assert.All(result.Report.Findings.Where(f => f.Line > 1), f => Assert.Equal(FindingSeverity.Ignored, f.Severity));
        Assert.Equal(3, result.Report.Findings.Count(f => f.Line > 1));
    }
}
