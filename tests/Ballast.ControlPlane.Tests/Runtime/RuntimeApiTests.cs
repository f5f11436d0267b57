using System.Net;
using System.Text.Json;
using Ballast.ControlPlane.Tests.TestSupport;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Tests.Runtime;

public sealed class RuntimeApiTests : IAsyncLifetime
{
    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> PutRuntimeAsync(string backend, string server, string json)
    {
        using var response = await _host.PutJsonAsync($"/api/v1/runtime/backends/{backend}/servers/{server}", json);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static JsonElement OnlyError(JsonElement body) => body.GetProperty("errors").EnumerateArray().Single();

    [Fact]
    public async Task Put_StoresOverride_RaisesRevision_AndAuditsIt_WithoutNewVersion()
    {
        var version = await _host.SeedAndPublishAsync();
        var (status, body) = await PutRuntimeAsync("app", "s1", """{"state":"drain"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.TryGetProperty("revision", out _), body.ToString());
        Assert.Equal(1, body.GetProperty("revision").GetInt64());
        var item = body.GetProperty("overrides").EnumerateArray().Single();
        Assert.Equal("app", item.GetProperty("backend").GetString());
        Assert.Equal("drain", item.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("weight").ValueKind);

        // A second call sets the weight and keeps the state, as two HAProxy commands would.
        (status, body) = await PutRuntimeAsync("app", "s1", """{"weight":5}""");
        Assert.Equal(HttpStatusCode.OK, status);
        item = body.GetProperty("overrides").EnumerateArray().Single();
        Assert.Equal(2, body.GetProperty("revision").GetInt64());
        Assert.Equal("drain", item.GetProperty("state").GetString());
        Assert.Equal(5, item.GetProperty("weight").GetInt32());
        Assert.Equal("api", item.GetProperty("updatedBy").GetString());

        var versions = await _host.GetJsonAsync("/api/v1/versions");
        Assert.Equal(version, versions.EnumerateArray().Max(v => v.GetProperty("version").GetInt64()));
        var audit = await _host.GetJsonAsync("/api/v1/audit?limit=5");
        Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("action").GetString() == "runtime.set"
            && a.GetProperty("object").GetString() == "backend 'app' server 's1'");

        var listed = await _host.GetJsonAsync("/api/v1/runtime/servers");
        Assert.Equal(2, listed.GetProperty("revision").GetInt64());
    }

    [Theory]
    [InlineData("""{"weight":257}""", "weight")]
    [InlineData("""{"state":"sleep"}""", "state")]
    [InlineData("""{}""", "body")]
    public async Task Put_BadValue_Is400NamingTheField(string json, string field)
    {
        await _host.SeedAndPublishAsync();
        var (status, body) = await PutRuntimeAsync("app", "s1", json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, OnlyError(body).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Put_UnknownServerOrBackend_Is404()
    {
        await _host.SeedAndPublishAsync();
        var (status, body) = await PutRuntimeAsync("app", "nope", """{"state":"maint"}""");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("backend 'app' server 'nope'", OnlyError(body).GetProperty("object").GetString());
        (status, _) = await PutRuntimeAsync("ghost", "s1", """{"state":"maint"}""");
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task Put_StaticAlgorithm_AcceptsOnlyZeroOrConfiguredWeight()
    {
        await _host.SeedAndPublishAsync();
        using (var backend = await _host.PutJsonAsync("/api/v1/backends/app", """
            {"name":"app","mode":"http","balance":"static-rr",
             "servers":[{"name":"s1","address":"127.0.0.1","port":8081,"weight":3}]}
            """))
        {
            Assert.True(backend.IsSuccessStatusCode, await backend.Content.ReadAsStringAsync());
        }

        using (var publish = await _host.PublishAsync("static-rr"))
        {
            Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
        }

        var (status, body) = await PutRuntimeAsync("app", "s1", """{"weight":5}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("weight", OnlyError(body).GetProperty("field").GetString());
        Assert.Contains("static", OnlyError(body).GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, (await PutRuntimeAsync("app", "s1", """{"weight":0}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await PutRuntimeAsync("app", "s1", """{"weight":3}""")).Status);
    }

    [Fact]
    public async Task Delete_ClearsOverride_ThenIs404()
    {
        await _host.SeedAndPublishAsync();
        await PutRuntimeAsync("app", "s1", """{"state":"maint"}""");
        using (var deleted = await _host.Client.DeleteAsync("/api/v1/runtime/backends/app/servers/s1"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            var body = JsonDocument.Parse(await deleted.Content.ReadAsStringAsync()).RootElement;
            Assert.Empty(body.GetProperty("overrides").EnumerateArray());
            Assert.Equal(2, body.GetProperty("revision").GetInt64());
        }

        using var again = await _host.Client.DeleteAsync("/api/v1/runtime/backends/app/servers/s1");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Override_SurvivesPublish_UntilTheServerIsRemoved()
    {
        await _host.SeedAndPublishAsync();
        await PutRuntimeAsync("app", "s1", """{"state":"drain"}""");
        using (var publish = await _host.PublishAsync("unrelated"))
        {
            Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
        }

        var kept = await _host.GetJsonAsync("/api/v1/runtime/servers");
        Assert.Single(kept.GetProperty("overrides").EnumerateArray());

        using (var add = await _host.PutJsonAsync("/api/v1/backends/app/servers/s2", """{"name":"s2","address":"127.0.0.1","port":8082}"""))
        {
            Assert.True(add.IsSuccessStatusCode);
        }

        using (var remove = await _host.Client.DeleteAsync("/api/v1/backends/app/servers/s1"))
        {
            Assert.Equal(HttpStatusCode.NoContent, remove.StatusCode);
        }

        using (var publish = await _host.PublishAsync("remove s1"))
        {
            Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
        }

        var pruned = await _host.GetJsonAsync("/api/v1/runtime/servers");
        Assert.Empty(pruned.GetProperty("overrides").EnumerateArray());
        Assert.Equal(2, pruned.GetProperty("revision").GetInt64());
    }

    [Fact]
    public async Task Overrides_ArePersisted_AcrossRestart()
    {
        var dir = new TempDirectory();
        try
        {
            await using (var first = await ControlPlaneHost.StartAsync(dir, ownsDir: false))
            {
                await first.SeedAndPublishAsync();
                using var put = await first.PutJsonAsync("/api/v1/runtime/backends/app/servers/s1", """{"weight":7}""");
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            }

            await using var second = await ControlPlaneHost.StartAsync(dir, ownsDir: false);
            var listed = await second.GetJsonAsync("/api/v1/runtime/servers");
            Assert.Equal(1, listed.GetProperty("revision").GetInt64());
            Assert.Equal(7, listed.GetProperty("overrides").EnumerateArray().Single().GetProperty("weight").GetInt32());
        }
        finally
        {
            dir.Dispose();
        }
    }
}
