using Ballast.HaproxyConfig.Import;

namespace Ballast.HaproxyConfig.Tests.Import;

/// <summary>What the importer reports, at the offending word, about layer-7 and retry lines the model cannot hold.</summary>
public sealed class RuleReportTests
{
    [Theory]
    [InlineData("retry-on conn-failure junk-response", "retry-on", "junk-response")]
    [InlineData("option forwardfor header X-Client if-none", "option forwardfor if-none", "if-none")]
    [InlineData("cookie SRV insert domain .example.com", "cookie", "domain")]
    [InlineData("stick-table type ip size 1m expire 30m peers mypeers", "stick-table", "peers")]
    [InlineData("stick match src", "stick match", "match")]
    [InlineData("stick on src table other", "stick on", "table")]
    [InlineData("acl api path_beg -f /etc/haproxy/api.lst", "acl", "-f")]
    [InlineData("acl api path,lower -m beg /api", "acl", "path,lower")]
    [InlineData("acl abuse sc0_inc_gpc0(http) gt 0", "acl", "sc0_inc_gpc0(http)")]
    [InlineData("acl v req.ver 2", "acl", "req.ver")]
    [InlineData("http-request tarpit", "http-request tarpit", "tarpit")]
    [InlineData("http-response set-status 503", "http-response set-status", "set-status")]
    [InlineData("http-request deny if missing_acl", "http-request deny", "missing_acl")]
    [InlineData("http-request deny if { req.ver 2 }", "http-request deny", "req.ver")]
    public void Unsupported_parts_are_reported_at_their_word_and_the_line_is_left_out(string line, string keyword, string word)
    {
        var result = HaproxyImporter.Import($"backend b\n    mode http\n    {line}\n");
        var finding = Assert.Single(result.Report.Findings, f => f.Line == 3);
        Assert.Equal((3, 5 + line.IndexOf(word, StringComparison.Ordinal), "backend b", keyword, FindingSeverity.Unsupported),
            (finding.Line, finding.Column, finding.Section, finding.Keyword, finding.Severity));
        Assert.StartsWith("unsupported:", finding.Reason, StringComparison.Ordinal);
        Assert.True(result.Succeeded);
        var backend = Assert.Single(result.Config.Backends);
        Assert.Empty(backend.Acls);
        Assert.Empty(backend.HttpRequest);
        Assert.Empty(backend.HttpResponse);
        Assert.Null(backend.StickTable);
        Assert.Null(backend.Cookie);
        Assert.Empty(backend.StickOn);
        Assert.Empty(backend.RetryOn);
    }

    [Theory]
    [InlineData("acl api path_beg /api", "acl")]
    [InlineData("http-request deny", "http-request deny")]
    [InlineData("cookie SRV insert", "cookie")]
    [InlineData("stick-table type ip size 1k", "stick-table")]
    public void Rules_in_a_defaults_section_are_reported(string line, string keyword)
    {
        var result = HaproxyImporter.Import($"defaults\n    mode http\n    {line}\nbackend b\n");
        var finding = Assert.Single(result.Report.Findings, f => f.Line == 3);
        Assert.Equal((keyword, FindingSeverity.Unsupported), (finding.Keyword, finding.Severity));
        Assert.Contains("defaults section", finding.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frontend f", "cookie SRV insert", "cookie")]
    [InlineData("frontend f", "stick on src", "stick on")]
    [InlineData("frontend f", "retries 2", "retries")]
    [InlineData("frontend f", "timeout server 5s", "timeout server")]
    [InlineData("backend b", "timeout client 5s", "timeout client")]
    public void Keywords_without_the_capability_are_ignored_as_haproxy_does(string header, string line, string keyword)
    {
        var result = HaproxyImporter.Import($"{header}\n    {line}\n");
        var finding = Assert.Single(result.Report.Findings, f => f.Line == 2);
        Assert.Equal((keyword, FindingSeverity.Ignored), (finding.Keyword, finding.Severity));
    }
}
