using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using static Ballast.DataPlane.Tests.Rules.RuleBuilders;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Rules;

/// <summary><c>http-request</c> / <c>http-response</c> actions through the real proxy.</summary>
public sealed class HttpActionsIntegrationTests : RulesIntegrationTestBase
{
    private async Task<int> StartAsync(Action<V1.Frontend> frontend, Action<V1.Backend>? backend = null)
    {
        var app = await StartBackendAsync("app");
        var port = Ports.GetFreePort();
        var f = Frontend("web", "app", port);
        frontend(f);
        var b = Backend("app", Server("a", app.Port));
        backend?.Invoke(b);
        await ApplyOkAsync(NewConfig([f], [b]));
        return port;
    }

    [Fact]
    public async Task Deny_DefaultsTo403WithHaproxyPage_AndDenyStatus()
    {
        var port = await StartAsync(f =>
        {
            f.Acls.Add(Acl("secret", "path_beg", "", "/secret"));
            f.Acls.Add(Acl("old", "path", "", "/old"));
            f.HttpRequest.Add(new V1.HttpRule { Action = V1.HttpAction.Deny, Condition = If("secret") });
            f.HttpRequest.Add(new V1.HttpRule { Action = V1.HttpAction.Deny, Status = 410, Condition = If("old") });
        });

        Assert.Equal("403 <html><body><h1>403 Forbidden</h1>\nRequest forbidden by administrative rules.\n</body></html>\n", await GetAsync(port, "/secret/x"));
        Assert.StartsWith("410 <html><body><h1>410 Gone</h1>", await GetAsync(port, "/old"));
        Assert.Equal("200 app /fine", await GetAsync(port, "/fine"));
    }

    [Fact]
    public async Task Redirect_LocationPrefixScheme_WithCodes()
    {
        var port = await StartAsync(f =>
        {
            f.Acls.Add(Acl("a", "path", "", "/a"));
            f.Acls.Add(Acl("b", "path_beg", "", "/b"));
            f.HttpRequest.Add(new V1.HttpRule { Action = V1.HttpAction.Redirect, Value = "https://example.com/new", Condition = If("a") });
            f.HttpRequest.Add(new V1.HttpRule { Action = V1.HttpAction.Redirect, RedirectType = V1.RedirectType.Prefix, Value = "https://www.example.com", Status = 301, Condition = If("b") });
            f.HttpRequest.Add(new V1.HttpRule { Action = V1.HttpAction.Redirect, RedirectType = V1.RedirectType.Scheme, Value = "https", Status = 308, Condition = If("a b", unless: true) });
        });

        using (var response = await SendAsync(port, "/a"))
        {
            Assert.Equal(302, (int)response.StatusCode);
            Assert.Equal("https://example.com/new", response.Headers.Location!.OriginalString);
        }

        using (var response = await SendAsync(port, "/b/c?d=1"))
        {
            Assert.Equal(301, (int)response.StatusCode);
            Assert.Equal("https://www.example.com/b/c?d=1", response.Headers.Location!.OriginalString);
        }

        using (var response = await SendAsync(port, "/x?y", r => r.Headers.Host = "shop.example.com"))
        {
            Assert.Equal(308, (int)response.StatusCode);
            Assert.Equal("https://shop.example.com/x?y", response.Headers.Location!.OriginalString);
        }
    }

    [Fact]
    public async Task Return_StatusContentTypeAndBody()
    {
        var port = await StartAsync(f =>
        {
            f.HttpRequest.Add(new V1.HttpRule
            {
                Action = V1.HttpAction.Return,
                Status = 503,
                ContentType = "application/json",
                Value = "{\"maintenance\":true}",
                Condition = IfInline(Acl("", "path", "", "/status")),
            });
        });

        using var response = await SendAsync(port, "/status");
        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("{\"maintenance\":true}", await response.Content.ReadAsStringAsync());
        Assert.Equal("200 app /other", await GetAsync(port, "/other"));
    }

    [Fact]
    public async Task Headers_SetAddDel_OnRequestAndResponse_FrontendAndBackend()
    {
        var port = await StartAsync(
            f =>
            {
                f.HttpRequest.Add(new V1.HttpRule { Action = V1.HttpAction.SetHeader, Name = "X-Env", Value = "prod" });
                f.HttpRequest.Add(new V1.HttpRule { Action = V1.HttpAction.DelHeader, Name = "X-Secret" });
                f.HttpResponse.Add(new V1.HttpRule { Action = V1.HttpAction.DelHeader, Name = "X-Echo-X-Env" });
                f.HttpResponse.Add(new V1.HttpRule { Action = V1.HttpAction.SetHeader, Name = "X-Frontend", Value = "web" });
            },
            b =>
            {
                b.HttpRequest.Add(new V1.HttpRule { Action = V1.HttpAction.AddHeader, Name = "X-Via", Value = "ballast" });
                b.HttpResponse.Add(new V1.HttpRule { Action = V1.HttpAction.SetHeader, Name = "X-Env-Seen", Value = "yes" });
                b.HttpResponse.Add(new V1.HttpRule
                {
                    Action = V1.HttpAction.SetHeader,
                    Name = "X-Ok",
                    Value = "1",
                    Condition = IfInline(Acl("", "status", "", "200:299")),
                });
            });

        using var response = await SendAsync(port, "/", r =>
        {
            r.Headers.Add("X-Secret", "s");
            r.Headers.Add("X-Env", "dev");
        });
        Assert.Equal(200, (int)response.StatusCode);
        Assert.False(response.Headers.Contains("X-Echo-X-Secret"));
        Assert.False(response.Headers.Contains("X-Echo-X-Env")); // seen by the server, then deleted from the response
        Assert.Equal("ballast", response.Headers.GetValues("X-Echo-X-Via").Single());
        Assert.Equal("web", response.Headers.GetValues("X-Frontend").Single());
        Assert.Equal("yes", response.Headers.GetValues("X-Env-Seen").Single());
        Assert.Equal("1", response.Headers.GetValues("X-Ok").Single());
    }

    [Fact]
    public async Task SetPathAndReplacePath_RewriteWhatTheServerSees_KeepingTheQuery()
    {
        var port = await StartAsync(f =>
        {
            f.HttpRequest.Add(new V1.HttpRule { Action = V1.HttpAction.ReplacePath, Regex = "^/api/v1/(.*)$", Value = @"/v1/\1", Condition = IfInline(Acl("", "path_beg", "", "/api/v1/")) });
            f.HttpRequest.Add(new V1.HttpRule { Action = V1.HttpAction.SetPath, Value = "/health", Condition = IfInline(Acl("", "path", "", "/ping")) });
        });

        Assert.Equal("200 app /v1/users/7?x=1", await GetAsync(port, "/api/v1/users/7?x=1"));
        Assert.Equal("200 app /health?q", await GetAsync(port, "/ping?q"));
        Assert.Equal("200 app /other", await GetAsync(port, "/other"));
    }

    [Fact]
    public async Task Allow_StopsTheRuleList()
    {
        var port = await StartAsync(f =>
        {
            f.HttpRequest.Add(new V1.HttpRule { Action = V1.HttpAction.Allow, Condition = If("LOCALHOST METH_GET") });
            f.HttpRequest.Add(new V1.HttpRule { Action = V1.HttpAction.Deny });
        });

        Assert.Equal("200 app /", await GetAsync(port, "/"));
        Assert.StartsWith("403", await GetAsync(port, "/", method: HttpMethod.Post));
    }

    [Fact]
    public async Task Validator_NacksSampleExpressionsAndBadStatuses()
    {
        var frontend = Frontend("web", "app", Ports.GetFreePort());
        frontend.HttpRequest.Add(new V1.HttpRule { Action = V1.HttpAction.SetHeader, Name = "X", Value = "%[src]" });
        frontend.HttpRequest.Add(new V1.HttpRule { Action = V1.HttpAction.Deny, Status = 418 });
        frontend.HttpResponse.Add(new V1.HttpRule { Action = V1.HttpAction.Redirect, Value = "/x" });
        frontend.HttpRequest.Add(new V1.HttpRule { Action = V1.HttpAction.Deny, Condition = IfInline(Acl("", "status", "", "200")) });
        var result = await Node.Engine.ApplyAsync(1, NewConfig([frontend], [Backend("app", Server("a", 1))]), CancellationToken.None);

        Assert.False(result.Applied);
        Assert.Contains("frontend 'web' http-request[0]: set-header: sample expressions", result.Error);
        Assert.Contains("frontend 'web' http-request[1]: deny_status 418 has no HAProxy error page", result.Error);
        Assert.Contains("frontend 'web' http-response[0]: redirect is not supported in http-response", result.Error);
        Assert.Contains("http-request[2]: ACL '' uses 'status'", result.Error);
    }
}
