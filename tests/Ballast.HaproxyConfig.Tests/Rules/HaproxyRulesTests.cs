using Ballast.HaproxyConfig.Rules;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Tests.Rules;

public sealed class HaproxyRulesTests
{
    [Theory]
    [InlineData("is_api path_beg /api")]
    [InlineData("host_www hdr(host) -i www.example.com")]
    [InlineData("found_x req.hdr(x-id) -m found")]
    [InlineData("neg status -- -1")]
    [InlineData("spaced path 'a b'")]
    [InlineData("rate sc_http_req_rate(0) gt 100")]
    public void Acl_RoundTripsThroughText(string text)
    {
        Assert.True(HaproxyRules.TryParseAcl(text, out var acl, out var error), error);
        Assert.Equal(text, HaproxyRules.Format(acl));
    }

    [Fact]
    public void Acl_ReadsFetchArgumentFlagsAndPatterns()
    {
        Assert.True(HaproxyRules.TryParseAcl("h hdr(host) -i -m end .example.com .example.org", out var acl, out _));
        Assert.Equal(("h", "hdr", "host", AclMatch.End, true), (acl.Name, acl.Fetch, acl.FetchArg, acl.Match, acl.CaseInsensitive));
        Assert.Equal([".example.com", ".example.org"], acl.Patterns);
    }

    [Theory]
    [InlineData("x hdr(host),lower www", "invalid fetch 'hdr(host),lower' (converters are not supported)")]
    [InlineData("x path -m len 3", "unsupported match method '-m len'")]
    [InlineData("x", "ACL 'x' has no fetch")]
    [InlineData("x path 'a", "unmatched quote")]
    public void Acl_Errors_NameTheWord(string text, string message)
    {
        Assert.False(HaproxyRules.TryParseAcl(text, out _, out var error));
        Assert.StartsWith(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Condition_ReadsGroupsNegationAndAnonymousAcls()
    {
        Assert.True(HaproxyRules.TryParseCondition("a !b or ! c || { src 10.0.0.0/8 }", false, out var condition, out var error), error);
        Assert.False(condition.Unless);
        Assert.Equal(3, condition.Any.Count);
        Assert.Equal([("a", false), ("b", true)], condition.Any[0].Terms.Select(t => (t.Acl, t.Negate)));
        Assert.True(condition.Any[1].Terms.Single().Negate);
        Assert.Equal("src", condition.Any[2].Terms.Single().Inline.Fetch);
        Assert.Equal("a !b or !c or { src 10.0.0.0/8 }", HaproxyRules.FormatConditionBody(condition));
    }

    [Theory]
    [InlineData("a or", "if: the condition ends without a term")]
    [InlineData("or a", "if: nothing before 'or'")]
    [InlineData("{ src 1.2.3.4", "if: '{' without '}'")]
    [InlineData("a }", "if: '}' without '{'")]
    public void Condition_Errors(string text, string message)
    {
        Assert.False(HaproxyRules.TryParseCondition(text, false, out _, out var error));
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("deny")]
    [InlineData("deny deny_status 429 if { sc_http_req_rate(0) gt 100 }")]
    [InlineData("redirect scheme https code 301 if !is_https")]
    [InlineData("redirect prefix https://www.example.com")]
    [InlineData("return status 200 content-type text/plain string ok if METH_GET")]
    [InlineData("set-header X-Env prod")]
    [InlineData("add-header X-A 'b c' unless is_api")]
    [InlineData("del-header Server")]
    [InlineData("set-path /v2")]
    [InlineData("replace-path ^/api/(.*) '/\\1'")]
    [InlineData("track-sc0 src")]
    [InlineData("track-sc0 req.hdr(x-api-key)")]
    [InlineData("allow if LOCALHOST")]
    public void HttpRule_RoundTripsThroughText(string text)
    {
        Assert.True(HaproxyRules.TryParseHttpRule(text, out var rule, out var error), error);
        Assert.Equal(text, HaproxyRules.Format(rule));
    }

    [Fact]
    public void HttpRule_DenyStatusAlias_IsWrittenAsDenyStatus()
    {
        Assert.True(HaproxyRules.TryParseHttpRule("deny status 403", out var rule, out _));
        Assert.Equal("deny deny_status 403", HaproxyRules.Format(rule));
    }

    [Theory]
    [InlineData("tarpit", "unsupported action 'tarpit'")]
    [InlineData("redirect location /x drop-query", "redirect: unsupported option 'drop-query'")]
    [InlineData("deny deny_status abc", "deny_status: 'abc' is not a status code")]
    [InlineData("set-header X-A", "'set-header' expects a value")]
    [InlineData("del-header X-A -m beg", "del-header: unexpected word '-m'")]
    [InlineData("track-sc0 src table other", "track-sc0: unexpected word 'table'")]
    [InlineData("deny if", "'if' expects a condition")]
    public void HttpRule_Errors_NameTheWord(string text, string message)
    {
        Assert.False(HaproxyRules.TryParseHttpRule(text, out _, out var error));
        Assert.StartsWith(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void StickTable_ReadsSizeExpireAndStore()
    {
        Assert.True(HaproxyRules.TryParseStickTable("type ip size 100k expire 30s store http_req_rate(10s),conn_cur store conn_rate(1m)", out var table, out var error), error);
        Assert.Equal((StickTableType.Ip, 102_400u, 30_000u, 10_000u, 60_000u, true),
            (table.Type, table.Size, table.ExpireMs, table.HttpReqRatePeriodMs, table.ConnRatePeriodMs, table.StoreConnCur));
        Assert.Equal("type ip size 100k expire 30s store http_req_rate(10s),conn_rate(1m),conn_cur", HaproxyRules.Format(table));
    }

    [Theory]
    [InlineData("size 1k", "stick-table: missing 'type'")]
    [InlineData("type ip", "stick-table: missing 'size'")]
    [InlineData("type ip size 1k peers mypeers", "unsupported stick-table option 'peers'")]
    [InlineData("type ip size 1x", "size: '1x' has an unknown size suffix")]
    public void StickTable_Errors(string text, string message)
    {
        Assert.False(HaproxyRules.TryParseStickTable(text, out _, out var error));
        Assert.StartsWith(message, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SRV insert indirect nocache httponly secure")]
    [InlineData("JSESSIONID prefix")]
    [InlineData("SRV rewrite")]
    public void Cookie_RoundTripsThroughText(string text)
    {
        Assert.True(HaproxyRules.TryParseCookie(text, out var cookie, out var error), error);
        Assert.Equal(text, HaproxyRules.Format(cookie));
    }

    [Fact]
    public void WordOverload_ReportsTheIndexOfTheBadWord()
    {
        Assert.False(HaproxyRules.TryParseHttpRule(["redirect", "location", "/x", "append-slash"], out _, out _, out var index));
        Assert.Equal(3, index);
    }
}
