using Ballast.HaproxyConfig.Import;
using Ballast.HaproxyConfig.Tests.Support;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Tests.Import;

/// <summary><c>balance</c> (HAProxy manual, section 4.2).</summary>
public sealed class BalanceMappingTests
{
    private static ImportResult Import(string line) => HaproxyImporter.Import($"backend b\n    {line}\n");

    [Theory]
    [InlineData("balance roundrobin", Balance.Roundrobin)]
    [InlineData("balance static-rr", Balance.StaticRr)]
    [InlineData("balance leastconn", Balance.Leastconn)]
    [InlineData("balance first", Balance.First)]
    [InlineData("balance source", Balance.Source)]
    [InlineData("balance uri", Balance.Uri)]
    [InlineData("balance url_param userid", Balance.UrlParam)]
    [InlineData("balance hdr(host)", Balance.Hdr)]
    [InlineData("balance random", Balance.Random)]
    [InlineData("balance random(2)", Balance.Random)]
    public void Maps_each_algorithm(string line, Balance expected)
    {
        var result = Import(line);
        result.NoErrors();
        Assert.Equal(expected, result.Backend("b").Balance);
    }

    [Theory]
    [InlineData("balance uri len 10 depth 2 whole", new[] { "balance uri len", "balance uri depth", "balance uri whole" })]
    [InlineData("balance url_param userid check_post 64", new[] { "balance url_param", "balance url_param check_post" })]
    [InlineData("balance hdr(Host) use_domain_only", new[] { "balance hdr", "balance hdr use_domain_only" })]
    [InlineData("balance random(3)", new[] { "balance random" })]
    public void Algorithm_parameters_are_reported(string line, string[] keywords)
    {
        var result = Import(line);
        Assert.Equal(keywords, result.Report.Findings.Select(f => f.Keyword));
        Assert.All(result.Report.Findings, f => Assert.Equal(FindingSeverity.Unsupported, f.Severity));
    }

    [Theory]
    [InlineData("balance rdp-cookie")]
    [InlineData("balance rdp-cookie(mstshash)")]
    [InlineData("balance hash req.cookie(id)")]
    public void Algorithms_outside_the_model_are_reported_and_the_previous_one_kept(string line)
    {
        var result = HaproxyImporter.Import($"defaults\n  balance leastconn\nbackend b\n    {line}\n");
        Assert.Equal(FindingSeverity.Unsupported, Assert.Single(result.Report.Findings).Severity);
        Assert.Equal(Balance.Leastconn, result.Backend("b").Balance);
    }

    [Theory]
    [InlineData("balance nope", "unknown load balancing algorithm")]
    [InlineData("balance", "expects an algorithm")]
    [InlineData("balance hdr", "header name")]
    [InlineData("balance url_param", "parameter name")]
    [InlineData("balance roundrobin now", "unexpected argument 'now'")]
    public void Malformed_balance_lines_are_errors(string line, string message)
    {
        var finding = Assert.Single(Import(line).Report.Findings);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Contains(message, finding.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Balance_in_a_frontend_is_ignored_as_haproxy_does()
    {
        var result = HaproxyImporter.Import("frontend f\n  balance leastconn\n");
        result.HasFinding(2, "balance", FindingSeverity.Ignored, "no backend capability");
    }
}
