using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ballast.ControlPlane.Tests.TestSupport;

namespace Ballast.ControlPlane.Tests.Api;

public sealed class ApplyApiTests : IAsyncLifetime
{
    // Against the seed (frontend web -> app, backend app with s1 weight 1): web removed, web2 added, app's balance,
    // check path and s1's weight changed, s2 added, backend other added.
    private const string File = """
        {"$schema":"../deploy/schema/ballast-config.schema.json",
         "frontends":[{"name":"web2","binds":[":18081"],"defaultBackend":"app"}],
         "backends":[
          {"name":"app","balance":"static-rr",
           "healthCheck":{"type":"http","method":"GET","path":"/ready","expectStatus":200,"interMs":2000,"rise":2,"fall":3,"timeoutMs":1000},
           "servers":[{"name":"s1","address":"127.0.0.1","port":8081,"weight":5,"check":true},{"name":"s2","address":"127.0.0.1","port":8082}]},
          {"name":"other"}]}
        """;

    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(HttpStatusCode Status, string Body)> ApplyAsync(string json, string query = "")
    {
        using var response = await _host.Client.PostTextAsync($"/api/v1/apply{query}", json, "application/json");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static List<string> Changes(string body) =>
        JsonDocument.Parse(body).RootElement.GetProperty("changes").EnumerateArray()
            .Select(c => string.Join('|', c.GetProperty("op").GetString(), c.GetProperty("object").GetString(),
                c.GetProperty("field").GetString(), c.GetProperty("from").GetString(), c.GetProperty("to").GetString()))
            .ToList();

    [Fact]
    public async Task Apply_ReplacesTheWholeWorkingConfig_AndReturnsTheDiff()
    {
        await _host.SeedValidConfigAsync();

        var (status, body) = await ApplyAsync(File);

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(
        [
            "remove|frontend 'web'|||",
            "add|frontend 'web2'|||",
            "change|backend 'app'|balance|roundrobin|static-rr",
            "change|backend 'app'|healthCheck.path|/|/ready",
            "change|backend 'app' server 's1'|weight|1|5",
            "add|backend 'app' server 's2'|||",
            "add|backend 'other'|||",
        ], Changes(body));
        var summary = JsonDocument.Parse(body).RootElement.GetProperty("summary");
        Assert.Equal("""{"frontends":1,"backends":2,"servers":2,"added":3,"removed":1,"changed":3}""", summary.GetRawText());

        var config = await _host.GetJsonAsync("/api/v1/config");
        Assert.Equal(["web2"], config.GetProperty("frontends").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        Assert.Equal("*:18081", config.GetProperty("frontends")[0].GetProperty("binds")[0].GetString());
        Assert.Equal(["app", "other"], config.GetProperty("backends").EnumerateArray().Select(b => b.GetProperty("name").GetString()));
        Assert.Equal(0, config.GetProperty("backends")[1].GetProperty("servers").GetArrayLength());
        Assert.Equal(5u, (await _host.GetJsonAsync("/api/v1/backends/app/servers/s1")).GetProperty("weight").GetUInt32());
        Assert.Empty((await _host.GetJsonAsync("/api/v1/versions")).EnumerateArray()); // not published
    }

    [Fact]
    public async Task Apply_ChangesToArraysAndMode_AreReportedAsWholeValues()
    {
        await _host.SeedValidConfigAsync(bindPort: 18080);
        var config = (await _host.GetJsonAsync("/api/v1/config")).GetRawText()
            .Replace("\"binds\":[\"127.0.0.1:18080\"]", "\"binds\":[\"127.0.0.1:18080\",\"[::1]:18080\"]", StringComparison.Ordinal);

        var (status, body) = await ApplyAsync(config);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["change|frontend 'web'|binds|[\"127.0.0.1:18080\"]|[\"127.0.0.1:18080\",\"[::1]:18080\"]"], Changes(body));
    }

    [Fact]
    public async Task DryRun_ReturnsTheDiff_AndChangesNothing()
    {
        await _host.SeedValidConfigAsync();
        var before = (await _host.GetJsonAsync("/api/v1/config")).GetRawText();
        var auditBefore = (await _host.GetJsonAsync("/api/v1/audit")).GetArrayLength();

        var (status, body) = await ApplyAsync(File, "?dryRun=true");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("dryRun").GetBoolean());
        Assert.Equal(7, Changes(body).Count);
        Assert.Equal(before, (await _host.GetJsonAsync("/api/v1/config")).GetRawText());
        Assert.Equal(auditBefore, (await _host.GetJsonAsync("/api/v1/audit")).GetArrayLength());
    }

    [Fact]
    public async Task InvalidValues_Return422NamingObjectAndField_AndChangeNothing()
    {
        await _host.SeedValidConfigAsync();
        var before = (await _host.GetJsonAsync("/api/v1/config")).GetRawText();
        const string invalid = """
            {"frontends":[{"name":"web","binds":["127.0.0.1:99999"],"defaultBackend":"app"}],
             "backends":[{"name":"app","servers":[{"name":"s1","address":"127.0.0.1","port":0,"weight":300},{"name":"s1","address":"10.0.0.2","port":80}]},
                         {"name":"app"}]}
            """;

        var (status, body) = await ApplyAsync(invalid);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateArray()
            .Select(e => $"{e.GetProperty("object").GetString()}: {e.GetProperty("field").GetString()}: {e.GetProperty("message").GetString()}").ToList();
        Assert.Equal(
        [
            "frontend 'web': binds[0]: port must be 1-65535 (got '127.0.0.1:99999')",
            "backend 'app' server 's1': port: must be 1-65535 (got 0)",
            "backend 'app' server 's1': weight: must be 0-256 (got 300)",
            "backend 'app' server 's1': name: is used by more than one server of this backend",
            "backend 'app': name: is used by more than one backend",
        ], errors);
        Assert.Equal(before, (await _host.GetJsonAsync("/api/v1/config")).GetRawText());
    }

    [Theory]
    [InlineData("""{"backends":[{"name":"app","servers":[{"name":"s1","address":"127.0.0.1","port":80,"wieght":3}]}]}""", "backends[0].servers[0].wieght", "is not a field of this object (see GET /api/v1/schema/native)")]
    [InlineData("""{"backends":[{"name":"app","balance":"fastest"}]}""", "backends[0].balance", "must be one of: roundrobin, static-rr, leastconn, first, source, uri, url_param, hdr, random (got 'fastest')")]
    [InlineData("""{"frontends":{}}""", "frontends", "must be an array")]
    [InlineData("""[]""", "body", "must be a JSON object: {\"frontends\":[...],\"backends\":[...]}")]
    public async Task MalformedFile_Returns400NamingTheField_AndChangesNothing(string json, string field, string message)
    {
        await _host.SeedValidConfigAsync();
        var before = (await _host.GetJsonAsync("/api/v1/config")).GetRawText();

        var (status, body) = await ApplyAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("errors")[0];
        Assert.Equal((field, message), (error.GetProperty("field").GetString(), error.GetProperty("message").GetString()));
        Assert.Equal(before, (await _host.GetJsonAsync("/api/v1/config")).GetRawText());
    }

    [Fact]
    public async Task EmptyFile_EmptiesTheWorkingConfig()
    {
        await _host.SeedValidConfigAsync();

        var (status, body) = await ApplyAsync("{}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["remove|frontend 'web'|||", "remove|backend 'app'|||"], Changes(body));
        Assert.Equal("""{"frontends":[],"backends":[],"certificates":[]}""", (await _host.GetJsonAsync("/api/v1/config")).GetRawText());
    }

    [Fact]
    public async Task Apply_IsAudited_WithTheSummary()
    {
        await _host.SeedValidConfigAsync();
        var (status, _) = await ApplyAsync(File);
        Assert.Equal(HttpStatusCode.OK, status);

        var entry = (await _host.GetJsonAsync("/api/v1/audit?limit=1"))[0];
        Assert.Equal(("api", "apply", "working config"),
            (entry.GetProperty("actor").GetString(), entry.GetProperty("action").GetString(), entry.GetProperty("object").GetString()));
        Assert.Equal("""{"frontends":1,"backends":2,"servers":2,"added":3,"removed":1,"changed":3}""", entry.GetProperty("detail").GetString());
    }
}
