using Ballast.HaproxyConfig.Import;
using Ballast.HaproxyConfig.Tests.Support;

namespace Ballast.HaproxyConfig.Tests.Import;

/// <summary>What the import report says about lines that are not mapped.</summary>
public sealed class ReportTests
{
    [Theory]
    [InlineData("nbthread 4", "ignored: process-level tuning")]
    [InlineData("maxconn 4096", "ignored: process-level tuning")]
    [InlineData("tune.bufsize 32768", "ignored: process-level tuning")]
    [InlineData("cpu-map auto:1/1-4 0-3", "ignored: process-level tuning")]
    [InlineData("daemon", "ignored: process management")]
    [InlineData("user haproxy", "ignored: process management")]
    [InlineData("stats socket /run/haproxy.sock mode 660", "ignored: process management")]
    [InlineData("log-send-hostname", "ignored: logging")]
    [InlineData("setenv A b", "ignored: environment directive")]
    [InlineData("ssl-default-bind-options ssl-min-ver TLSv1.2", "unsupported: not in the Ballast model yet")]
    [InlineData("lua-load /etc/haproxy/x.lua", "unsupported: not in the Ballast model yet")]
    public void Global_keywords_are_classified(string line, string reason)
    {
        var finding = Assert.Single(HaproxyImporter.Import($"global\n    {line}\n").Report.Findings, f => f.Line == 2);
        Assert.Equal((2, 5, "global"), (finding.Line, finding.Column, finding.Section));
        Assert.StartsWith(reason, finding.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("timeout tarpit 1s", "timeout tarpit", FindingSeverity.Unsupported)]
    [InlineData("no option http-server-close", "no option http-server-close", FindingSeverity.Unsupported)]
    [InlineData("use_backend api if api", "use_backend", FindingSeverity.Ignored)]
    [InlineData("tcp-request content accept if { req_ssl_hello_type 1 }", "tcp-request content", FindingSeverity.Unsupported)]
    [InlineData("hash-balance-factor 150", "hash-balance-factor", FindingSeverity.Unsupported)]
    [InlineData("option httplog", "option httplog", FindingSeverity.Ignored)]
    [InlineData("log global", "log", FindingSeverity.Ignored)]
    [InlineData("description payment API", "description", FindingSeverity.Ignored)]
    [InlineData("contimeout 5000", "contimeout", FindingSeverity.Unsupported)]
    public void Proxy_keywords_outside_the_model_are_reported_with_their_keyword(string line, string keyword, FindingSeverity severity)
    {
        var result = HaproxyImporter.Import($"backend b\n    {line}\n");
        var finding = Assert.Single(result.Report.Findings);
        Assert.Equal((2, 5, "backend b", keyword, severity), (finding.Line, finding.Column, finding.Section, finding.Keyword, finding.Severity));
        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Removed_1x_keywords_name_their_replacement()
    {
        var result = HaproxyImporter.Import("backend b\n  srvtimeout 50000\n");
        result.HasFinding(2, "srvtimeout", FindingSeverity.Unsupported, "use 'timeout server'");
    }

    [Fact]
    public void An_invalid_timeout_value_is_an_error()
    {
        var result = HaproxyImporter.Import("backend b\n  timeout server 30x\n");
        result.HasFinding(2, "timeout server", FindingSeverity.Error, "unknown time unit");
        Assert.Equal(18, result.Finding(2, "timeout server").Column);
    }

    [Fact]
    public void Sections_outside_the_model_are_reported_line_by_line()
    {
        var result = HaproxyImporter.Import("peers p\n  peer a 10.0.0.1:10000\n  peer b 10.0.0.2:10000\n");
        Assert.Equal(new[] { 1, 2, 3 }, result.Report.Findings.Select(f => f.Line));
        Assert.All(result.Report.Findings, f => Assert.Equal("unsupported: 'peers' sections are not in the Ballast model yet", f.Reason));
    }

    [Fact]
    public void Syntax_errors_become_error_findings_naming_line_and_column()
    {
        var result = HaproxyImporter.Import("backend b\n  server a \"10.0.0.1:80\n  server c 10.0.0.3:80\n");
        var error = Assert.Single(result.Report.Findings);
        Assert.Equal((2, 12, FindingSeverity.Error, "backend b"), (error.Line, error.Column, error.Severity, error.Section));
        Assert.Contains("unmatched quote", error.Reason, StringComparison.Ordinal);
        Assert.False(result.Succeeded);
        Assert.Single(result.Backend("b").Servers);
    }

    [Fact]
    public void Statements_outside_any_section_are_errors()
    {
        var result = HaproxyImporter.Import("mode http\n");
        result.HasFinding(1, "mode", FindingSeverity.Error, "out of section");
    }

    [Fact]
    public void Preprocessor_messages_and_excluded_blocks_are_in_the_report()
    {
        var result = HaproxyImporter.Import("global\n.if 0\n  daemon\n.endif\n.warning \"check me\"\n.notice \"hello\"\n");
        result.HasFinding(2, ".if", FindingSeverity.Ignored, "lines 3-3 are excluded");
        result.HasFinding(5, ".warning", FindingSeverity.Warning, "warning: check me");
        result.HasFinding(6, ".notice", FindingSeverity.Ignored, "ignored: notice: hello");
        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Alert_makes_the_import_fail()
    {
        var result = HaproxyImporter.Import("global\n.if !defined(REQUIRED)\n.alert \"REQUIRED must be set\"\n.endif\n");
        Assert.False(result.Succeeded);
        Assert.True(HaproxyImporter.Import("global\n.if !defined(REQUIRED)\n.alert \"x\"\n.endif\n", new Dictionary<string, string> { ["REQUIRED"] = "1" }).Succeeded);
    }

    [Fact]
    public void Variables_come_only_from_the_given_environment()
    {
        var text = "backend b\n  server a \"${ADDR-10.9.9.9}:${PORT-80}\"\n";
        var defaults = HaproxyImporter.Import(text).Backend("b").Servers[0];
        Assert.Equal(("10.9.9.9", 80u), (defaults.Address, defaults.Port));
        var given = HaproxyImporter.Import(text, new Dictionary<string, string> { ["ADDR"] = "10.1.1.1", ["PORT"] = "8080" }).Backend("b").Servers[0];
        Assert.Equal(("10.1.1.1", 8080u), (given.Address, given.Port));
    }

    [Fact]
    public void Mapped_statements_say_what_they_set()
    {
        var result = HaproxyImporter.Import("defaults\n  mode http\nbackend b\n  balance first\n  server s 10.0.0.1:80\n");
        Assert.Equal(
            new[] { (1, "defaults"), (2, "defaults: mode http (inherited)"), (3, "backend b"), (4, "backend b: balance first"), (5, "backend b: server s") },
            result.Report.Mapped.Select(m => (m.Line, m.Target)));
    }

    [Fact]
    public void Findings_are_in_line_then_column_order()
    {
        var result = HaproxyImporter.Import("backend b\n  retries 3\n  server a 10.0.0.1:80 ssl backup\n  acl x src 1.2.3.4\nglobal\n  daemon\n");
        var positions = result.Report.Findings.Select(f => (f.Line, f.Column)).ToArray();
        Assert.Equal(positions.OrderBy(p => p.Line).ThenBy(p => p.Column), positions);
    }
}
