using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ballast.ControlPlane.Tests.TestSupport;

namespace Ballast.ControlPlane.Tests.Api;

public sealed class PublishApiTests : IAsyncLifetime
{
    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Publish_ValidConfig_Returns200WithVersion_AndListsIt()
    {
        await _host.SeedValidConfigAsync();
        using var response = await _host.PublishAsync("first release");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"version":1}""", await response.Content.ReadAsStringAsync());

        var versions = await _host.GetJsonAsync("/api/v1/versions");
        var v1 = Assert.Single(versions.EnumerateArray());
        Assert.Equal(1, v1.GetProperty("version").GetInt64());
        Assert.Equal("api", v1.GetProperty("author").GetString());
        Assert.Equal("first release", v1.GetProperty("message").GetString());
        Assert.True(v1.GetProperty("createdAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task Publish_Twice_NumbersVersionsMonotonically_NewestFirst()
    {
        Assert.Equal(1, await _host.SeedAndPublishAsync());
        using (var patch = await _host.PatchJsonAsync("/api/v1/backends/app/servers/s1", """{"weight":5}"""))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        }

        using (var second = await _host.PublishAsync("weight 5"))
        {
            Assert.Equal(2, (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64());
        }

        var versions = await _host.GetJsonAsync("/api/v1/versions");
        Assert.Equal([2L, 1L], versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt64()));
    }

    [Fact]
    public async Task GetVersion_ReturnsTheConfigAsPublished_NotTheLaterWorkingConfig()
    {
        await _host.SeedAndPublishAsync();
        using (var patch = await _host.PatchJsonAsync("/api/v1/backends/app/servers/s1", """{"weight":9}"""))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        }

        var v1 = await _host.GetJsonAsync("/api/v1/versions/1");
        Assert.Equal(1, v1.GetProperty("version").GetInt64());
        var server = v1.GetProperty("config").GetProperty("backends")[0].GetProperty("servers")[0];
        Assert.Equal(1, server.GetProperty("weight").GetInt32());
        Assert.Equal("127.0.0.1:18080", v1.GetProperty("config").GetProperty("frontends")[0].GetProperty("binds")[0].GetString());

        using var missing = await _host.Client.GetAsync("/api/v1/versions/42");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Publish_InvalidConfig_ReturnsErrorsAndCreatesNoVersion()
    {
        await _host.SeedValidConfigAsync();
        using (var frontend = await _host.PutJsonAsync("/api/v1/frontends/web", """{"binds":["127.0.0.1:18080"],"defaultBackend":"missing"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, frontend.StatusCode);
        }

        using var response = await _host.PublishAsync("should fail");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(
            """{"errors":[{"object":"frontend 'web'","field":"defaultBackend","message":"backend 'missing' does not exist"}]}""",
            await response.Content.ReadAsStringAsync());
        Assert.Equal(0, (await _host.GetJsonAsync("/api/v1/versions")).GetArrayLength());
        var audit = await _host.GetJsonAsync("/api/v1/audit?limit=1");
        Assert.Equal("publish.rejected", audit[0].GetProperty("action").GetString());
    }

    [Fact]
    public async Task Publish_TcpModeAndHashingOptions_ReachTheVersionUnchanged()
    {
        const string backend = """{"mode":"tcp","balance":"source","hashType":"consistent","hashFunction":"wt6","hashAvalanche":true,"timeoutConnectMs":2000,"timeoutServerMs":30000,"servers":[{"name":"db1","address":"127.0.0.1","port":5432,"id":7}]}""";
        using (var put = await _host.PutJsonAsync("/api/v1/backends/db", backend))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        using (var put = await _host.PutJsonAsync("/api/v1/frontends/pg", """{"mode":"tcp","binds":["127.0.0.1:15432"],"defaultBackend":"db","timeoutClientMs":30000}"""))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        using var response = await _host.PublishAsync("tcp");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var config = (await _host.GetJsonAsync("/api/v1/versions/1")).GetProperty("config");
        var published = config.GetProperty("backends")[0];
        Assert.Equal(("tcp", "source", "consistent", "wt6", true, 2000u, 30000u, 7u), (
            published.GetProperty("mode").GetString(),
            published.GetProperty("balance").GetString(),
            published.GetProperty("hashType").GetString(),
            published.GetProperty("hashFunction").GetString(),
            published.GetProperty("hashAvalanche").GetBoolean(),
            published.GetProperty("timeoutConnectMs").GetUInt32(),
            published.GetProperty("timeoutServerMs").GetUInt32(),
            published.GetProperty("servers")[0].GetProperty("id").GetUInt32()));
        Assert.Equal(30000u, config.GetProperty("frontends")[0].GetProperty("timeoutClientMs").GetUInt32());
    }

    [Fact]
    public async Task Publish_FrontendAndBackendModesDiffer_Returns422()
    {
        await _host.SeedValidConfigAsync();
        using (var backend = await _host.PutJsonAsync("/api/v1/backends/app", """{"balance":"leastconn","mode":"tcp"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, backend.StatusCode);
        }

        using var response = await _host.PublishAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0];
        Assert.Equal(("frontend 'web'", "defaultBackend", "backend 'app' is mode tcp but the frontend is mode http"), (
            error.GetProperty("object").GetString(), error.GetProperty("field").GetString(), error.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Publish_WithoutBody_IsAccepted()
    {
        await _host.SeedValidConfigAsync();
        using var response = await _host.Client.PostAsync("/api/v1/publish", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Publish_EmptyWorkingConfig_IsVersionOne()
    {
        using var response = await _host.PublishAsync("empty");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Versions_SurviveARestart()
    {
        using var dir = new TempDirectory();
        await using (var first = await ControlPlaneHost.StartAsync(dir, ownsDir: false))
        {
            await first.SeedAndPublishAsync("kept");
        }

        await using var second = await ControlPlaneHost.StartAsync(dir, ownsDir: false);
        var versions = await second.GetJsonAsync("/api/v1/versions");
        Assert.Equal("kept", versions[0].GetProperty("message").GetString());
        Assert.Equal("web", (await second.GetJsonAsync("/api/v1/config")).GetProperty("frontends")[0].GetProperty("name").GetString());
    }
}
