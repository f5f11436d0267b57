using System.Net;
using System.Text.Json;
using Ballast.ControlPlane.Tests.TestSupport;

namespace Ballast.ControlPlane.Tests.Layer7;

public sealed class Layer7ApiTests : IAsyncLifetime
{
    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private const string Backends = """
        {"name":"app","mode":"http","cookie":"SRV insert indirect nocache httponly","stickTable":"type ip size 100k expire 30m",
         "stickOn":"src","acls":["is_admin path_beg /admin"],"httpRequest":["deny if is_admin"],"httpResponse":["del-header Server"],
         "servers":[{"name":"s1","address":"127.0.0.1","port":8081,"cookie":"s1"},{"name":"s2","address":"127.0.0.1","port":8082,"cookie":"s2"}]}
        """;

    private const string Frontend = """
        {"name":"web","mode":"http","binds":["127.0.0.1:18080"],"defaultBackend":"app",
         "acls":["is_api path_beg /api","host_www hdr(host) -i www.example.com","is_admin path_beg /admin","is_https ssl_fc_sni -m found"],
         "useBackends":[{"backend":"api","if":"is_api !is_admin or host_www"},{"backend":"app","unless":"{ src 10.0.0.0/8 }"}],
         "httpRequest":["track-sc0 src","deny deny_status 429 if { sc_http_req_rate(0) gt 100 }","set-header X-Env prod","redirect scheme https code 301 if !is_https"],
         "httpResponse":["set-header X-Frame-Options DENY"],
         "stickTable":"type ip size 100k expire 30s store http_req_rate(10s),conn_cur"}
        """;

    private async Task SeedAsync()
    {
        using var app = await _host.PutJsonAsync("/api/v1/backends/app", Backends);
        Assert.True(app.IsSuccessStatusCode, await app.Content.ReadAsStringAsync());
        using var api = await _host.PutJsonAsync("/api/v1/backends/api", """{"name":"api","mode":"http","servers":[{"name":"a1","address":"127.0.0.1","port":8083}]}""");
        Assert.True(api.IsSuccessStatusCode, await api.Content.ReadAsStringAsync());
        using var web = await _host.PutJsonAsync("/api/v1/frontends/web", Frontend);
        Assert.True(web.IsSuccessStatusCode, await web.Content.ReadAsStringAsync());
    }

    private static string[] Strings(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(x => x.GetString()!).ToArray();

    private static async Task<JsonElement> Errors(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
    }

    [Fact]
    public async Task PutThenGet_Frontend_ReturnsTheSameHaproxyText()
    {
        await SeedAsync();
        var web = await _host.GetJsonAsync("/api/v1/frontends/web");
        var sent = JsonDocument.Parse(Frontend).RootElement;
        foreach (var field in new[] { "acls", "httpRequest", "httpResponse" })
        {
            Assert.Equal(Strings(sent, field), Strings(web, field));
        }

        Assert.Equal(sent.GetProperty("stickTable").GetString(), web.GetProperty("stickTable").GetString());
        var rules = web.GetProperty("useBackends").EnumerateArray().ToArray();
        Assert.Equal("api", rules[0].GetProperty("backend").GetString());
        Assert.Equal("is_api !is_admin or host_www", rules[0].GetProperty("if").GetString());
        Assert.False(rules[0].TryGetProperty("unless", out _));
        Assert.Equal("{ src 10.0.0.0/8 }", rules[1].GetProperty("unless").GetString());
    }

    [Fact]
    public async Task PutThenGet_Backend_ReturnsCookieStickTableStickOnAndServerCookies()
    {
        await SeedAsync();
        var app = await _host.GetJsonAsync("/api/v1/backends/app");
        Assert.Equal("SRV insert indirect nocache httponly", app.GetProperty("cookie").GetString());
        Assert.Equal("type ip size 100k expire 30m", app.GetProperty("stickTable").GetString());
        Assert.Equal("src", app.GetProperty("stickOn").GetString());
        Assert.Equal(["is_admin path_beg /admin"], Strings(app, "acls"));
        Assert.Equal(["deny if is_admin"], Strings(app, "httpRequest"));
        Assert.Equal(["del-header Server"], Strings(app, "httpResponse"));
        Assert.Equal(["s1", "s2"], app.GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("cookie").GetString()));
    }

    [Fact]
    public async Task Put_OddSpacing_IsStoredInCanonicalForm()
    {
        using var app = await _host.PutJsonAsync("/api/v1/backends/app", """{"name":"app","httpRequest":["set-header   X-A   'b c'"],"stickTable":"type ip size 1024 expire 60000"}""");
        Assert.True(app.IsSuccessStatusCode, await app.Content.ReadAsStringAsync());
        var stored = await _host.GetJsonAsync("/api/v1/backends/app");
        Assert.Equal(["set-header X-A 'b c'"], Strings(stored, "httpRequest"));
        Assert.Equal("type ip size 1k expire 1m", stored.GetProperty("stickTable").GetString());
    }

    [Fact]
    public async Task Put_UnknownAction_Is422NamingFieldIndexAndWord()
    {
        using var response = await _host.PutJsonAsync("/api/v1/frontends/web",
            """{"name":"web","binds":["127.0.0.1:18080"],"defaultBackend":"app","httpRequest":["allow","tarpit if TRUE"]}""");
        var error = Assert.Single((await Errors(response)).EnumerateArray());
        Assert.Equal("frontend 'web'", error.GetProperty("object").GetString());
        Assert.Equal("httpRequest[1]", error.GetProperty("field").GetString());
        Assert.StartsWith("unsupported action 'tarpit'", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Put_UseBackendWithUnknownAcl_Is422_IfUnknownAcl()
    {
        using var response = await _host.PutJsonAsync("/api/v1/frontends/web", """
            {"name":"web","binds":["127.0.0.1:18080"],"defaultBackend":"app","acls":["is_api path_beg /api"],
             "useBackends":[{"backend":"app","if":"is_api"},{"backend":"app"},{"backend":"api","if":"is_apx"}]}
            """);
        var error = Assert.Single((await Errors(response)).EnumerateArray());
        Assert.Equal("useBackends[2]", error.GetProperty("field").GetString());
        Assert.Equal("if: unknown ACL 'is_apx'", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("""{"acls":["bad path_reg ("]}""", "acls[0]", "invalid regular expression '('")]
    [InlineData("""{"acls":["x nosuch_fetch 1"]}""", "acls[0]", "unknown fetch 'nosuch_fetch'")]
    [InlineData("""{"acls":["x path_beg -f /etc/list"]}""", "acls[0]", "unsupported ACL flag '-f'")]
    [InlineData("""{"httpRequest":["deny deny_status 418"]}""", "httpRequest[0]", "deny_status 418 has no HAProxy error page")]
    [InlineData("""{"httpRequest":["redirect location /x code 305"]}""", "httpRequest[0]", "redirect code 305 is not supported")]
    [InlineData("""{"httpRequest":["track-sc0 src"]}""", "httpRequest[0]", "track-sc0 needs a stickTable")]
    [InlineData("""{"httpResponse":["deny"]}""", "httpResponse[0]", "deny is not supported in http-response")]
    [InlineData("""{"httpRequest":["set-header X-A %[src]"]}""", "httpRequest[0]", "set-header: sample expressions")]
    [InlineData("""{"httpRequest":["deny if { status 500 }"]}""", "httpRequest[0]", "if: an anonymous ACL uses 'status'")]
    [InlineData("""{"stickTable":"type ip size 0"}""", "stickTable", "size 0 is out of range")]
    [InlineData("""{"stickTable":"type ipv6 size 1k"}""", "stickTable", "unsupported stick-table type 'ipv6'")]
    [InlineData("""{"stickTable":"type ip size 1k store gpc0"}""", "stickTable", "unsupported stick-table data type 'gpc0'")]
    [InlineData("""{"useBackends":[{"backend":"app","if":"x","unless":"y"}]}""", "useBackends[0]", "give 'if' or 'unless', not both")]
    [InlineData("""{"useBackends":[{"backend":"app","if":"{ path_beg /a"}]}""", "useBackends[0]", "if: '{' without '}'")]
    [InlineData("""{"mode":"tcp","acls":["a src 10.0.0.1"]}""", "mode", "acls, useBackends, httpRequest, httpResponse and stickTable need mode http")]
    public async Task Put_InvalidFrontendLayer7_Is422(string extra, string field, string message)
    {
        var body = JsonDocument.Parse(extra).RootElement.EnumerateObject()
            .Aggregate("""{"name":"web","binds":["127.0.0.1:18080"],"defaultBackend":"app" """, (s, p) => s + $",\"{p.Name}\":{p.Value.GetRawText()}") + "}";
        using var response = await _host.PutJsonAsync("/api/v1/frontends/web", body);
        var errors = (await Errors(response)).EnumerateArray().ToArray();
        Assert.Contains(errors, e => e.GetProperty("field").GetString() == field && e.GetProperty("message").GetString()!.StartsWith(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"cookie":"SRV"}""", "cookie", "cookie: insert, rewrite or prefix is required")]
    [InlineData("""{"cookie":"SRV insert domain example.com"}""", "cookie", "cookie: unsupported option 'domain'")]
    [InlineData("""{"stickOn":"src"}""", "stickOn", "stick on src needs a stickTable")]
    [InlineData("""{"stickOn":"src","stickTable":"type string size 1k"}""", "stickOn", "stick on src needs a stickTable of type ip")]
    [InlineData("""{"stickOn":"hdr(x)","stickTable":"type ip size 1k"}""", "stickOn", "'hdr(x)' is not supported by nodes")]
    [InlineData("""{"mode":"tcp","cookie":"SRV insert"}""", "mode", "acls, httpRequest, httpResponse, cookie, stickTable and stickOn need mode http")]
    public async Task Put_InvalidBackendLayer7_Is422(string extra, string field, string message)
    {
        var body = JsonDocument.Parse(extra).RootElement.EnumerateObject()
            .Aggregate("""{"name":"app" """, (s, p) => s + $",\"{p.Name}\":{p.Value.GetRawText()}") + "}";
        using var response = await _host.PutJsonAsync("/api/v1/backends/app", body);
        var errors = (await Errors(response)).EnumerateArray().ToArray();
        Assert.Contains(errors, e => e.GetProperty("field").GetString() == field && e.GetProperty("message").GetString()!.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Put_DuplicateServerCookies_Is422OnTheSecondServer()
    {
        using var response = await _host.PutJsonAsync("/api/v1/backends/app", """
            {"name":"app","cookie":"SRV insert","servers":[{"name":"s1","address":"127.0.0.1","port":1,"cookie":"a"},{"name":"s2","address":"127.0.0.1","port":2,"cookie":"a"}]}
            """);
        var error = Assert.Single((await Errors(response)).EnumerateArray());
        Assert.Equal("backend 'app' server 's2'", error.GetProperty("object").GetString());
        Assert.Equal("cookie", error.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Publish_UseBackendToMissingBackend_Is422()
    {
        await _host.SeedValidConfigAsync();
        using var put = await _host.PutJsonAsync("/api/v1/frontends/web",
            """{"name":"web","binds":["127.0.0.1:18080"],"defaultBackend":"app","useBackends":[{"backend":"ghost","if":"TRUE"}]}""");
        Assert.True(put.IsSuccessStatusCode);
        using var response = await _host.PublishAsync();
        var error = Assert.Single((await Errors(response)).EnumerateArray());
        Assert.Equal("useBackends[0]", error.GetProperty("field").GetString());
        Assert.Equal("backend 'ghost' does not exist", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Publish_UseBackendsWithoutDefaultBackend_IsAccepted()
    {
        await _host.SeedValidConfigAsync();
        using var put = await _host.PutJsonAsync("/api/v1/frontends/web",
            """{"name":"web","binds":["127.0.0.1:18080"],"useBackends":[{"backend":"app"}]}""");
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        using var response = await _host.PublishAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Publish_UseBackends_ConnectedNodeReceivesStructuredRules()
    {
        await SeedAsync();
        using (var published = await _host.PublishAsync("l7"))
        {
            Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        }

        using var node = await NodeClient.ConnectAsync(_host.NodeUri, "n-l7");
        var snapshot = await node.ReadSnapshotAsync();
        var web = snapshot.Config.Frontends.Single();
        Assert.Equal(4, web.Acls.Count);
        Assert.Equal("hdr", web.Acls[1].Fetch);
        Assert.Equal("host", web.Acls[1].FetchArg);
        Assert.True(web.Acls[1].CaseInsensitive);
        var rule = web.UseBackends[0];
        Assert.Equal("api", rule.Backend);
        Assert.Equal(2, rule.Condition.Any.Count);
        Assert.Equal(["is_api", "is_admin"], rule.Condition.Any[0].Terms.Select(t => t.Acl));
        Assert.True(rule.Condition.Any[0].Terms[1].Negate);
        Assert.True(web.UseBackends[1].Condition.Unless);
        Assert.Equal("src", web.UseBackends[1].Condition.Any[0].Terms[0].Inline.Fetch);
        Assert.Equal(Ballast.Proto.V1.HttpAction.Deny, web.HttpRequest[1].Action);
        Assert.Equal(429u, web.HttpRequest[1].Status);
        Assert.Equal(10_000u, web.StickTable.HttpReqRatePeriodMs);
        var app = snapshot.Config.Backends.Single(b => b.Name == "app");
        Assert.Equal("SRV", app.Cookie.Name);
        Assert.True(app.Cookie.Indirect);
        Assert.Equal("src", app.StickOn);
        Assert.Equal(["s1", "s2"], app.Servers.Select(s => s.Cookie));
    }

    [Fact]
    public async Task ExportHaproxy_AndNative_CarryTheLayer7Text()
    {
        await SeedAsync();
        using var response = await _host.Client.GetAsync("/api/v1/export/native");
        var native = await response.Content.ReadAsStringAsync();
        Assert.Contains("is_api !is_admin or host_www", native, StringComparison.Ordinal);
        Assert.Contains("SRV insert indirect nocache httponly", native, StringComparison.Ordinal);
    }
}
