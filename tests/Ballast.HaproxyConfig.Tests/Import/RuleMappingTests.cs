using Ballast.HaproxyConfig.Import;
using Ballast.HaproxyConfig.Rules;
using Ballast.HaproxyConfig.Tests.Support;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Tests.Import;

/// <summary>acl, use_backend, http-request/response, stick-table, stick on, cookie: mapped with the shared HaproxyRules reader, on their lines.</summary>
public sealed class RuleMappingTests
{
    private const string Text = """
        frontend f
            mode http
            bind :80
            stick-table type ip size 100k expire 30s store http_req_rate(10s)
            acl is_api path_beg /api
            http-request track-sc0 src
            http-request deny deny_status 429 if { sc_http_req_rate(0) gt 100 }
            http-response del-header Server
            use_backend api if is_api
            use_backend api unless { method GET }
            default_backend api

        backend api
            mode http
            cookie SRV insert indirect nocache
            stick-table type ip size 1m expire 30m
            stick on src
            acl is_get method GET
            http-request set-header X-Get 1 if is_get
            http-response set-header X-Backend api
            server a1 10.0.0.1:80 cookie a1

        """;

    [Theory]
    [InlineData(4, "stick-table", "frontend f: stick-table")]
    [InlineData(5, "acl", "frontend f: acl is_api")]
    [InlineData(6, "http-request track-sc0", "frontend f: http-request track-sc0")]
    [InlineData(7, "http-request deny", "frontend f: http-request deny")]
    [InlineData(8, "http-response del-header", "frontend f: http-response del-header")]
    [InlineData(9, "use_backend", "frontend f: use_backend api")]
    [InlineData(15, "cookie", "backend api: cookie SRV")]
    [InlineData(16, "stick-table", "backend api: stick-table")]
    [InlineData(17, "stick on", "backend api: stick on src")]
    [InlineData(18, "acl", "backend api: acl is_get")]
    [InlineData(19, "http-request set-header", "backend api: http-request set-header")]
    [InlineData(20, "http-response set-header", "backend api: http-response set-header")]
    public void Each_keyword_is_mapped_on_its_line(int line, string keyword, string target)
    {
        var result = HaproxyImporter.Import(Text);
        result.NoErrors();
        Assert.Empty(result.Report.Findings);
        var mapped = Assert.Single(result.Report.Mapped, m => m.Line == line);
        Assert.Equal((keyword, target), (mapped.Keyword, mapped.Target));
    }

    [Fact]
    public void The_model_holds_what_haproxy_rules_reads_from_the_same_text()
    {
        var result = HaproxyImporter.Import(Text);
        var f = result.Frontend("f");
        Assert.Equal(Layer7Configs.Table("type ip size 100k expire 30s store http_req_rate(10s)"), f.StickTable);
        Assert.Equal(Layer7Configs.Acl("is_api path_beg /api"), Assert.Single(f.Acls));
        Assert.Equal(new[] { Layer7Configs.Rule("track-sc0 src"), Layer7Configs.Rule("deny deny_status 429 if { sc_http_req_rate(0) gt 100 }") }, f.HttpRequest);
        Assert.Equal(Layer7Configs.Rule("del-header Server"), Assert.Single(f.HttpResponse));
        Assert.Equal(
            new[]
            {
                new UseBackendRule { Backend = "api", Condition = Layer7Configs.Condition("is_api") },
                new UseBackendRule { Backend = "api", Condition = HaproxyRules.TryParseCondition("{ method GET }", true, out var c, out _) ? c : null },
            },
            f.UseBackends);
        var api = result.Backend("api");
        Assert.Equal(Layer7Configs.Cookie("SRV insert indirect nocache"), api.Cookie);
        Assert.Equal((Layer7Configs.Table("type ip size 1m expire 30m"), "src"), (api.StickTable, api.StickOn));
        Assert.Equal(Layer7Configs.Acl("is_get method GET"), Assert.Single(api.Acls));
        Assert.Equal(Layer7Configs.Rule("set-header X-Get 1 if is_get"), Assert.Single(api.HttpRequest));
        Assert.Equal(Layer7Configs.Rule("set-header X-Backend api"), Assert.Single(api.HttpResponse));
        Assert.Equal("a1", Assert.Single(api.Servers).Cookie);
    }

    [Fact]
    public void A_listen_section_puts_rules_on_its_frontend_and_persistence_on_its_backend()
    {
        var result = HaproxyImporter.Import("""
            listen web
                mode http
                bind :80
                acl is_api path_beg /api
                http-request deny if is_api
                cookie SRV insert
                stick-table type ip size 1k
                stick on src
                server s1 10.0.0.1:80 cookie s1

            """);
        result.NoErrors();
        var f = result.Frontend("web");
        var b = result.Backend("web");
        Assert.Equal((1, 1, false), (f.Acls.Count, f.HttpRequest.Count, f.StickTable is not null));
        Assert.Equal((0, 0, "SRV", "src", true), (b.Acls.Count, b.HttpRequest.Count, b.Cookie.Name, b.StickOn, b.StickTable is not null));
    }

    [Fact]
    public void A_frontend_with_use_backend_but_no_default_backend_is_not_warned_about()
    {
        var result = HaproxyImporter.Import("frontend f\n    mode http\n    bind :80\n    use_backend b\nbackend b\n    mode http\n");
        result.NoErrors();
        Assert.Empty(result.Report.Findings);
        Assert.Null(Assert.Single(result.Frontend("f").UseBackends).Condition);
    }

    [Theory]
    [InlineData("backend missing\n", "unable to find required use_backend: 'b'")]
    [InlineData("backend b\n    mode tcp\n", "incompatible tcp backend 'b'")]
    public void Use_backend_targets_are_checked_as_haproxy_does(string backend, string reason)
    {
        var result = HaproxyImporter.Import($"frontend f\n    mode http\n    bind :80\n    use_backend b if TRUE\n{backend}");
        result.HasFinding(4, "use_backend", FindingSeverity.Error, reason);
        Assert.Equal(17, result.Report.Findings.Single(f => f.Line == 4).Column);
    }
}
