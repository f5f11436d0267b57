using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ballast.ControlPlane.Tests.TestSupport;

namespace Ballast.ControlPlane.Tests.Api;

public sealed class ImportApiTests : IAsyncLifetime
{
    // Line numbers matter: the tests below name them.
    private const string Cfg = """
        global
            maxconn 4000

        defaults
            mode http
            timeout client 30s

        frontend web
            bind 127.0.0.1:18080
            option http-server-close
            default_backend app

        backend app
            balance static-rr
            option httpchk GET /healthz
            server a1 10.0.0.1:8080 check weight 5
            server a2 10.0.0.2:8080 check maxconn 100 backup

        """;

    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> ImportAsync(string text, string query = "")
    {
        using var response = await _host.Client.PostTextAsync($"/api/v1/import/haproxy{query}", text);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static IEnumerable<(int Line, string Keyword, string Severity)> Findings(JsonElement body) =>
        body.GetProperty("findings").EnumerateArray()
            .Select(f => (f.GetProperty("line").GetInt32(), f.GetProperty("keyword").GetString()!, f.GetProperty("severity").GetString()!));

    [Fact]
    public async Task DryRun_ReportsAndShowsTheObjects_WithoutTouchingTheStore()
    {
        await _host.SeedValidConfigAsync();
        var before = (await _host.GetJsonAsync("/api/v1/config")).GetRawText();
        var auditBefore = (await _host.GetJsonAsync("/api/v1/audit")).GetArrayLength();

        var (status, body) = await ImportAsync(Cfg, "?dryRun=true");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.GetProperty("dryRun").GetBoolean());
        var summary = body.GetProperty("summary");
        Assert.Equal((1, 1, 2, 0), (summary.GetProperty("frontends").GetInt32(), summary.GetProperty("backends").GetInt32(),
            summary.GetProperty("servers").GetInt32(), summary.GetProperty("errors").GetInt32()));
        var backend = body.GetProperty("config").GetProperty("backends")[0];
        Assert.Equal(("app", "static-rr", "/healthz"), (backend.GetProperty("name").GetString(), backend.GetProperty("balance").GetString(),
            backend.GetProperty("healthCheck").GetProperty("path").GetString()));
        Assert.Contains(body.GetProperty("changes").EnumerateArray(), c => c.GetProperty("object").GetString() == "backend 'app'");

        Assert.Equal(before, (await _host.GetJsonAsync("/api/v1/config")).GetRawText());
        Assert.Equal(auditBefore, (await _host.GetJsonAsync("/api/v1/audit")).GetArrayLength());
    }

    [Fact]
    public async Task Import_StoresIntoWorkingConfig_AndReportsUnsupportedLinesWithLineNumbers()
    {
        var (status, body) = await ImportAsync(Cfg);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(body.GetProperty("dryRun").GetBoolean());
        var findings = Findings(body).ToList();
        Assert.DoesNotContain(findings, f => f.Keyword == "timeout client"); // mapped since issue 5 (frontend timeout_client_ms)
        Assert.Contains((10, "option http-server-close", "unsupported"), findings);
        Assert.DoesNotContain(findings, f => f.Keyword == "server backup"); // mapped since issue 5
        Assert.Contains((2, "maxconn", "ignored"), findings);
        var unmapped = body.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("keyword").GetString() == "option http-server-close");
        Assert.Equal(("frontend web", 5), (unmapped.GetProperty("section").GetString(), unmapped.GetProperty("column").GetInt32()));
        Assert.StartsWith("unsupported:", unmapped.GetProperty("reason").GetString());
        var summary = body.GetProperty("summary");
        Assert.Equal(findings.Count(f => f.Severity == "unsupported"), summary.GetProperty("unsupported").GetInt32());
        Assert.True(summary.GetProperty("mapped").GetInt32() > 0);

        var servers = (await _host.GetJsonAsync("/api/v1/backends/app/servers")).EnumerateArray()
            .Select(s => (s.GetProperty("name").GetString(), s.GetProperty("address").GetString(), s.GetProperty("port").GetInt32(),
                s.GetProperty("weight").GetInt32(), s.GetProperty("maxconn").GetInt32(), s.GetProperty("state").GetString(), s.GetProperty("check").GetBoolean()));
        Assert.Equal([("a1", "10.0.0.1", 8080, 5, 0, "ready", true), ("a2", "10.0.0.2", 8080, 1, 100, "ready", true)], servers);
        Assert.True((await _host.GetJsonAsync("/api/v1/backends/app/servers/a2")).GetProperty("backup").GetBoolean());
        var web = await _host.GetJsonAsync("/api/v1/frontends/web");
        Assert.Equal(("http", "127.0.0.1:18080", "app"),
            (web.GetProperty("mode").GetString(), web.GetProperty("binds")[0].GetString(), web.GetProperty("defaultBackend").GetString()));
        Assert.Empty((await _host.GetJsonAsync("/api/v1/versions")).EnumerateArray()); // not published
    }

    [Fact]
    public async Task Import_ReplacesObjectsWithTheSameNames_AndKeepsOthers()
    {
        await _host.SeedValidConfigAsync(); // frontend web, backend app (server s1)
        using (var other = await _host.PutJsonAsync("/api/v1/backends/other", """{"servers":[{"name":"o1","address":"10.9.9.9","port":80}]}"""))
        {
            Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        }

        var (status, body) = await ImportAsync(Cfg);

        Assert.Equal(HttpStatusCode.OK, status);
        var config = await _host.GetJsonAsync("/api/v1/config");
        Assert.Equal(["app", "other"], config.GetProperty("backends").EnumerateArray().Select(b => b.GetProperty("name").GetString()));
        Assert.Equal(["a1", "a2"], (await _host.GetJsonAsync("/api/v1/backends/app/servers")).EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(1, (await _host.GetJsonAsync("/api/v1/backends/other/servers")).GetArrayLength());
        var changes = body.GetProperty("changes").EnumerateArray().Select(c => (c.GetProperty("op").GetString(), c.GetProperty("object").GetString())).ToList();
        Assert.Contains(("remove", "backend 'app' server 's1'"), changes);
        Assert.Contains(("add", "backend 'app' server 'a1'"), changes);
        Assert.DoesNotContain(changes, c => c.Item2!.Contains("other", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ImportWithReplace_ReplacesTheWholeWorkingConfig()
    {
        await _host.SeedValidConfigAsync();
        using (var other = await _host.PutJsonAsync("/api/v1/backends/other", """{"servers":[]}"""))
        {
            Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        }

        var (status, _) = await ImportAsync(Cfg, "?replace=true");

        Assert.Equal(HttpStatusCode.OK, status);
        var config = await _host.GetJsonAsync("/api/v1/config");
        Assert.Equal(["app"], config.GetProperty("backends").EnumerateArray().Select(b => b.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task SyntaxError_Returns422NamingLineAndColumn_AndStoresNothing()
    {
        await _host.SeedValidConfigAsync();
        var before = (await _host.GetJsonAsync("/api/v1/config")).GetRawText();
        const string broken = "frontend web\n    bind \"127.0.0.1:80\n    default_backend app\nbackend app\n";

        var (status, body) = await ImportAsync(broken);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var error = Assert.Single(body.GetProperty("findings").EnumerateArray(), f => f.GetProperty("severity").GetString() == "error");
        Assert.Equal((2, 10), (error.GetProperty("line").GetInt32(), error.GetProperty("column").GetInt32()));
        Assert.Contains("quote", error.GetProperty("reason").GetString());
        var apiError = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal("line 2 column 10 (frontend web)", apiError.GetProperty("object").GetString());
        Assert.Equal(1, body.GetProperty("summary").GetProperty("errors").GetInt32());
        Assert.Equal(before, (await _host.GetJsonAsync("/api/v1/config")).GetRawText());
    }

    [Fact]
    public async Task ValueTheModelRejects_Returns422NamingObjectAndField_AndStoresNothing()
    {
        // HAProxy accepts a 50 ms check interval; the Ballast model's range starts at 100 ms.
        var (status, body) = await ImportAsync("backend app\n    server s1 10.0.0.1:80 check inter 50\n");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal(("backend 'app'", "healthCheck.interMs", "must be 0 (default 2000 ms) or 100-3600000 (got 50)"),
            (error.GetProperty("object").GetString(), error.GetProperty("field").GetString(), error.GetProperty("message").GetString()));
        Assert.Empty(body.GetProperty("changes").EnumerateArray());
        Assert.Empty((await _host.GetJsonAsync("/api/v1/backends")).EnumerateArray());
    }

    [Fact]
    public async Task Import_IsAudited_WithActionAndCounts()
    {
        var (status, _) = await ImportAsync(Cfg);
        Assert.Equal(HttpStatusCode.OK, status);

        var entry = (await _host.GetJsonAsync("/api/v1/audit?limit=1"))[0];
        Assert.Equal(("api", "import.haproxy", "working config"),
            (entry.GetProperty("actor").GetString(), entry.GetProperty("action").GetString(), entry.GetProperty("object").GetString()));
        var detail = JsonDocument.Parse(entry.GetProperty("detail").GetString()!).RootElement;
        Assert.Equal(2, detail.GetProperty("imported").GetProperty("servers").GetInt32());
        Assert.Equal(2, detail.GetProperty("changes").GetProperty("added").GetInt32());
    }

    [Fact]
    public async Task Import_RequiresTheAdminToken()
    {
        using var response = await _host.Anonymous.PostTextAsync("/api/v1/import/haproxy", Cfg);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty((await _host.GetJsonAsync("/api/v1/backends")).EnumerateArray());
    }

    [Fact]
    public async Task BodyOver16MiB_Returns413()
    {
        using var response = await _host.Client.PostTextAsync("/api/v1/import/haproxy", new string('#', 17 * 1024 * 1024));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0];
        Assert.Equal("the body must be at most 16 MiB", error.GetProperty("message").GetString());
    }
}
