using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using static Ballast.DataPlane.Tests.Rules.RuleBuilders;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Rules;

/// <summary>ACLs and <c>use_backend</c> through the real proxy.</summary>
public sealed class RoutingIntegrationTests : RulesIntegrationTestBase
{
    private async Task<int> StartThreeBackendsAsync(Action<V1.Frontend> configure)
    {
        var app = await StartBackendAsync("app");
        var api = await StartBackendAsync("api");
        var admin = await StartBackendAsync("admin");
        var port = Ports.GetFreePort();
        var frontend = Frontend("web", "app", port);
        configure(frontend);
        await ApplyOkAsync(NewConfig(
            [frontend],
            [Backend("app", Server("a", app.Port)), Backend("api", Server("a", api.Port)), Backend("admin", Server("a", admin.Port))]));
        return port;
    }

    [Fact]
    public async Task UseBackend_PathBegAndHostAcls_RouteInOrderThenDefault()
    {
        var port = await StartThreeBackendsAsync(f =>
        {
            f.Acls.Add(Acl("is_api", "path_beg", "", "/api/", "/v2/"));
            f.Acls.Add(new V1.Acl { Name = "is_admin", Fetch = "path", Match = V1.AclMatch.Beg, Patterns = { "/api/admin" } });
            f.Acls.Add(new V1.Acl { Name = "host_admin", Fetch = "hdr", FetchArg = "host", CaseInsensitive = true, Patterns = { "admin.example.com" } });
            f.UseBackends.Add(new V1.UseBackendRule { Backend = "admin", Condition = If("is_admin or host_admin") });
            f.UseBackends.Add(new V1.UseBackendRule { Backend = "api", Condition = If("is_api !is_admin") });
        });

        Assert.Equal("200 api /api/users", await GetAsync(port, "/api/users"));
        Assert.Equal("200 api /v2/x?y=1", await GetAsync(port, "/v2/x?y=1"));
        Assert.Equal("200 admin /api/admin/x", await GetAsync(port, "/api/admin/x"));
        Assert.Equal("200 admin /", await GetAsync(port, "/", r => r.Headers.Host = "ADMIN.example.com"));
        Assert.Equal("200 app /other", await GetAsync(port, "/other"));
    }

    [Fact]
    public async Task UseBackend_Unless_MethodUrlParamAndFound()
    {
        var port = await StartThreeBackendsAsync(f =>
        {
            f.Acls.Add(Acl("is_get", "method", "", "GET", "HEAD"));
            f.Acls.Add(Acl("tenant_b", "url_param", "tenant", "b"));
            f.Acls.Add(new V1.Acl { Name = "has_key", Fetch = "req.hdr", FetchArg = "X-Api-Key", Match = V1.AclMatch.Found });
            f.UseBackends.Add(new V1.UseBackendRule { Backend = "admin", Condition = If("is_get", unless: true) });
            f.UseBackends.Add(new V1.UseBackendRule { Backend = "api", Condition = If("tenant_b or has_key") });
        });

        Assert.Equal("200 admin /", await GetAsync(port, "/", method: HttpMethod.Post));
        Assert.Equal("200 api /?a=1&tenant=b", await GetAsync(port, "/?a=1&tenant=b"));
        Assert.Equal("200 app /?tenant=bb", await GetAsync(port, "/?tenant=bb"));
        Assert.Equal("200 api /", await GetAsync(port, "/", r => r.Headers.Add("X-Api-Key", "k")));
    }

    [Fact]
    public async Task UseBackend_SrcCidrRegexInlineAndSni()
    {
        var port = await StartThreeBackendsAsync(f =>
        {
            f.Acls.Add(new V1.Acl { Name = "sni", Fetch = "ssl_fc_sni", Patterns = { "api.example.com" } });
            f.Acls.Add(Acl("local", "src", "", "10.0.0.0/8", "127.0.0.0/8", "::1"));
            f.Acls.Add(Acl("jpg", "path_reg", "", @"^/img/[a-z]+\.jpe?g$"));
            f.UseBackends.Add(new V1.UseBackendRule { Backend = "admin", Condition = If("sni") });
            f.UseBackends.Add(new V1.UseBackendRule { Backend = "api", Condition = If("jpg local") });
            f.UseBackends.Add(new V1.UseBackendRule
            {
                Backend = "admin",
                Condition = IfInline(new V1.Acl { Fetch = "hdr_end", FetchArg = "host", CaseInsensitive = true, Patterns = { ".internal" } }),
            });
        });

        Assert.Equal("200 api /img/cat.jpeg", await GetAsync(port, "/img/cat.jpeg"));
        Assert.Equal("200 app /img/Cat.png", await GetAsync(port, "/img/Cat.png"));
        Assert.Equal("200 admin /", await GetAsync(port, "/", r => r.Headers.Host = "x.INTERNAL"));
    }

    [Fact]
    public async Task Validator_NacksUnknownAclAndBackend_NamingTheRule()
    {
        var port = Ports.GetFreePort();
        var frontend = Frontend("web", "app", port);
        frontend.UseBackends.Add(new V1.UseBackendRule { Backend = "app", Condition = If("is_api") });
        frontend.UseBackends.Add(new V1.UseBackendRule { Backend = "missing" });
        frontend.Acls.Add(Acl("bad", "path_reg", "", "(unclosed"));
        frontend.Acls.Add(Acl("rate", "sc_http_req_rate", "1", "gt", "10"));
        var result = await Node.Engine.ApplyAsync(1, NewConfig([frontend], [Backend("app", Server("a", 1))]), CancellationToken.None);

        Assert.False(result.Applied);
        Assert.Contains("frontend 'web' use_backend[0]: if: unknown ACL 'is_api'", result.Error);
        Assert.Contains("frontend 'web' use_backend[1]: backend 'missing' does not exist", result.Error);
        Assert.Contains("frontend 'web' acl 'bad': invalid regular expression '(unclosed'", result.Error);
        Assert.Contains("frontend 'web' acl 'rate': sc_http_req_rate(1): only sticky counter 0 is supported", result.Error);
    }
}
