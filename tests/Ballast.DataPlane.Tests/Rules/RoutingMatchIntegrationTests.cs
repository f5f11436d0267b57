using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using static Ballast.DataPlane.Tests.Rules.RuleBuilders;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Rules;

/// <summary>
/// Issue 5 ACL conditions not exercised by <see cref="RoutingIntegrationTests"/>: path exact and suffix matches,
/// a header other than Host, and <c>-i</c> against the same ACL without it, through the real proxy.
/// </summary>
public sealed class RoutingMatchIntegrationTests : RulesIntegrationTestBase
{
    private async Task<int> StartAsync(Action<V1.Frontend> configure)
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
    public async Task UseBackend_PathExactAndSuffix()
    {
        var port = await StartAsync(f =>
        {
            f.Acls.Add(Acl("login", "path", "", "/login")); // `path` alone: exact string match
            f.Acls.Add(Acl("static", "path_end", "", ".css", ".js"));
            f.UseBackends.Add(new V1.UseBackendRule { Backend = "api", Condition = If("login") });
            f.UseBackends.Add(new V1.UseBackendRule { Backend = "admin", Condition = If("static") });
        });

        Assert.Equal("200 api /login", await GetAsync(port, "/login"));
        Assert.Equal("200 app /login/x", await GetAsync(port, "/login/x")); // not a prefix match
        Assert.Equal("200 app /x/login", await GetAsync(port, "/x/login"));
        Assert.Equal("200 admin /site/main.css?v=2", await GetAsync(port, "/site/main.css?v=2")); // the query is not part of path
        Assert.Equal("200 admin /app.js", await GetAsync(port, "/app.js"));
        Assert.Equal("200 app /app.json", await GetAsync(port, "/app.json"));
    }

    [Fact]
    public async Task UseBackend_CaseInsensitiveFlag_OnlyWhereSet_AndOnAnyHeader()
    {
        var port = await StartAsync(f =>
        {
            f.Acls.Add(new V1.Acl { Name = "api_i", Fetch = "path_beg", CaseInsensitive = true, Patterns = { "/API/" } });
            f.Acls.Add(new V1.Acl { Name = "admin_cs", Fetch = "path_beg", Patterns = { "/Admin/" } });
            f.Acls.Add(new V1.Acl { Name = "staging", Fetch = "hdr", FetchArg = "X-Env", CaseInsensitive = true, Patterns = { "staging" } });
            f.UseBackends.Add(new V1.UseBackendRule { Backend = "api", Condition = If("api_i") });
            f.UseBackends.Add(new V1.UseBackendRule { Backend = "admin", Condition = If("admin_cs or staging") });
        });

        Assert.Equal("200 api /api/x", await GetAsync(port, "/api/x"));
        Assert.Equal("200 api /Api/x", await GetAsync(port, "/Api/x"));
        Assert.Equal("200 admin /Admin/x", await GetAsync(port, "/Admin/x"));
        Assert.Equal("200 app /admin/x", await GetAsync(port, "/admin/x")); // without -i the case matters
        Assert.Equal("200 admin /", await GetAsync(port, "/", r => r.Headers.Add("X-Env", "STAGING")));
        Assert.Equal("200 app /", await GetAsync(port, "/", r => r.Headers.Add("X-Env", "production")));
    }

    [Fact]
    public async Task UseBackend_NegationDecidesTheRoute()
    {
        var port = await StartAsync(f =>
        {
            f.Acls.Add(Acl("is_api", "path_beg", "", "/api/"));
            f.Acls.Add(Acl("is_get", "method", "", "GET", "HEAD"));
            f.UseBackends.Add(new V1.UseBackendRule { Backend = "admin", Condition = If("is_api !is_get") }); // API writes
            f.UseBackends.Add(new V1.UseBackendRule { Backend = "api", Condition = If("is_api") });
        });

        Assert.Equal("200 api /api/x", await GetAsync(port, "/api/x"));
        Assert.Equal("200 admin /api/x", await GetAsync(port, "/api/x", method: HttpMethod.Delete));
        Assert.Equal("200 app /x", await GetAsync(port, "/x", method: HttpMethod.Delete));
    }
}
