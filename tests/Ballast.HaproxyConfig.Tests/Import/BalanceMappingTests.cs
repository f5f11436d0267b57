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

    [Fact]
    public void Uri_arguments_are_mapped()
    {
        var backend = Import("balance uri whole len 10 path-only depth 2").Backend("b");
        Assert.Equal((10u, 2u, true, true), (backend.UriLen, backend.UriDepth, backend.UriPathOnly, backend.UriWhole));
        backend = Import("balance uri").Backend("b");
        Assert.Equal((0u, 0u, false, false), (backend.UriLen, backend.UriDepth, backend.UriPathOnly, backend.UriWhole));
    }

    [Fact]
    public void Url_param_hdr_and_random_arguments_are_mapped()
    {
        var result = HaproxyImporter.Import(
            "backend p\n    balance url_param userid\nbackend h\n    balance hdr(Host) use_domain_only\nbackend r\n    balance random(3)\nbackend s\n    balance hdr(X-Tenant)\n");
        Assert.Empty(result.Report.Findings);
        Assert.Equal((Balance.UrlParam, "userid"), (result.Backend("p").Balance, result.Backend("p").BalanceParam));
        Assert.Equal((Balance.Hdr, "Host", true), (result.Backend("h").Balance, result.Backend("h").BalanceParam, result.Backend("h").HdrUseDomainOnly));
        Assert.Equal((Balance.Random, 3u), (result.Backend("r").Balance, result.Backend("r").RandomDraws));
        Assert.Equal(("X-Tenant", false), (result.Backend("s").BalanceParam, result.Backend("s").HdrUseDomainOnly));
    }

    [Fact]
    public void Url_param_check_post_is_reported_at_its_column_and_the_name_kept()
    {
        var result = Import("balance url_param userid check_post 64");
        var finding = Assert.Single(result.Report.Findings);
        Assert.Equal((2, 30, "balance url_param check_post", FindingSeverity.Unsupported), (finding.Line, finding.Column, finding.Keyword, finding.Severity));
        Assert.Equal("userid", result.Backend("b").BalanceParam);
    }

    [Fact]
    public void Hdr_words_after_use_domain_only_are_reported()
    {
        var result = Import("balance hdr(host) use_domain_only extra");
        result.HasFinding(2, "balance hdr extra", FindingSeverity.Unsupported, "not in the Ballast model yet");
        Assert.True(result.Backend("b").HdrUseDomainOnly);
    }

    [Fact]
    public void Balance_and_hash_type_are_inherited_from_defaults_and_overridden_per_line()
    {
        const string text = """
            defaults
                mode http
                balance uri len 8 whole
                hash-type consistent djb2 avalanche
            backend inherits
                server s 10.0.0.1:80
            backend overrides
                balance hdr(host)
                hash-type map-based
            """;
        var result = HaproxyImporter.Import(text + "\n");
        Assert.Empty(result.Report.Findings);
        var inherits = result.Backend("inherits");
        Assert.Equal((Balance.Uri, 8u, true), (inherits.Balance, inherits.UriLen, inherits.UriWhole));
        Assert.Equal((HashType.Consistent, HashFunction.Djb2, true), (inherits.HashType, inherits.HashFunction, inherits.HashAvalanche));
        var overrides = result.Backend("overrides");
        Assert.Equal((Balance.Hdr, "host", 0u, false), (overrides.Balance, overrides.BalanceParam, overrides.UriLen, overrides.UriWhole));
        Assert.Equal((HashType.MapBased, HashFunction.Default, false), (overrides.HashType, overrides.HashFunction, overrides.HashAvalanche));
        Assert.Contains(result.Report.Mapped, m => m.Line == 3 && m.Target == "defaults: balance uri (inherited)");
        Assert.Contains(result.Report.Mapped, m => m.Line == 4 && m.Target == "defaults: hash-type (inherited)");
        Assert.Contains(result.Report.Mapped, m => m.Line == 9 && m.Target == "backend overrides: hash-type");
    }

    [Theory]
    [InlineData("hash-type map-based", HashType.MapBased, HashFunction.Default, false)]
    [InlineData("hash-type consistent", HashType.Consistent, HashFunction.Default, false)]
    [InlineData("hash-type consistent sdbm", HashType.Consistent, HashFunction.Sdbm, false)]
    [InlineData("hash-type map-based djb2 avalanche", HashType.MapBased, HashFunction.Djb2, true)]
    [InlineData("hash-type consistent wt6", HashType.Consistent, HashFunction.Wt6, false)]
    [InlineData("hash-type consistent crc32 avalanche", HashType.Consistent, HashFunction.Crc32, true)]
    [InlineData("hash-type consistent none", HashType.Consistent, HashFunction.None, false)]
    public void Hash_type_is_mapped(string line, HashType type, HashFunction function, bool avalanche)
    {
        var result = HaproxyImporter.Import($"backend b\n    balance source\n    {line}\n");
        Assert.Empty(result.Report.Findings);
        var backend = result.Backend("b");
        Assert.Equal((type, function, avalanche), (backend.HashType, backend.HashFunction, backend.HashAvalanche));
    }

    [Theory]
    [InlineData("hash-type", 1, "'map-based' or 'consistent'")]
    [InlineData("hash-type ring", 1, "'map-based' or 'consistent'")]
    [InlineData("hash-type consistent avalanche", 2, "hash functions")]
    [InlineData("hash-type consistent sdbm mixed", 3, "'avalanche' as a modifier")]
    [InlineData("hash-type consistent sdbm avalanche more", 4, "unexpected argument 'more'")]
    public void Malformed_hash_type_lines_are_errors_at_the_word(string line, int word, string message)
    {
        var finding = Assert.Single(Import(line).Report.Findings);
        Assert.Equal((2, FindingSeverity.Error), (finding.Line, finding.Severity));
        Assert.Equal(5 + line.Split(' ').Take(word).Sum(w => w.Length + 1), finding.Column);
        Assert.Contains(message, finding.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_type_in_a_frontend_is_ignored_and_hash_balance_factor_reported()
    {
        HaproxyImporter.Import("frontend f\n  hash-type consistent\n").HasFinding(2, "hash-type", FindingSeverity.Ignored, "no backend capability");
        Import("hash-balance-factor 150").HasFinding(2, "hash-balance-factor", FindingSeverity.Unsupported, "not in the Ballast model yet");
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
    [InlineData("balance uri len 0", "integer from 1")]
    [InlineData("balance uri depth", "expects an integer")]
    [InlineData("balance uri sideways", "got 'sideways'")]
    [InlineData("balance random(0)", "positive number of draws")]
    [InlineData("balance random(x)", "positive number of draws")]
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
