using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ballast.ControlPlane.Tests.TestSupport;

namespace Ballast.ControlPlane.Tests.Api;

public sealed class ExportApiTests : IAsyncLifetime
{
    // The fields of the model with non-default values (drain is left out: HAProxy has no keyword for it, see the
    // HaproxyConfig README). Servers use IP addresses: haproxy -c resolves host names and fails without DNS.
    private const string RichConfig = """
        {"frontends":[
          {"name":"db","mode":"tcp","binds":["127.0.0.1:15432"],"defaultBackend":"pg","maxconn":500},
          {"name":"web","mode":"http","binds":["127.0.0.1:18080","[::1]:18080","*:18443"],"defaultBackend":"app","maxconn":2000}],
         "backends":[
          {"name":"app","mode":"http","balance":"static-rr",
           "healthCheck":{"type":"http","method":"GET","path":"/healthz","expectStatus":204,"interMs":3000,"rise":3,"fall":4,"timeoutMs":1500},
           "servers":[
             {"name":"a1","address":"10.0.0.1","port":8080,"weight":10,"maxconn":100,"state":"ready","check":true},
             {"name":"a2","address":"10.0.0.2","port":8081,"weight":0,"maxconn":0,"state":"maint","check":true},
             {"name":"a3","address":"::1","port":8082,"weight":1,"maxconn":0,"state":"ready","check":false}]},
          {"name":"pg","mode":"tcp","balance":"leastconn",
           "healthCheck":{"type":"tcp","method":"","path":"","expectStatus":0,"interMs":0,"rise":0,"fall":0,"timeoutMs":0},
           "servers":[{"name":"p1","address":"10.0.1.1","port":5432,"weight":256,"maxconn":50,"state":"ready","check":true}]}]}
        """;

    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<string> GetTextAsync(string path)
    {
        using var response = await _host.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task ApplyAsync(string json)
    {
        using var response = await _host.Client.PostTextAsync("/api/v1/apply", json, "application/json");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private static string Compact(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);

    [Fact]
    public async Task ExportHaproxy_IsAcceptedByHaproxy26()
    {
        await ApplyAsync(RichConfig);

        using var response = await _host.Client.GetAsync("/api/v1/export/haproxy");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var cfg = await response.Content.ReadAsStringAsync();
        Assert.Contains("backend app", cfg);

        var (exitCode, output) = await HaproxyBinary.CheckAsync(cfg);
        Assert.True(exitCode == 0, $"haproxy -c refused the export (exit {exitCode}):\n{output}\n--- export ---\n{cfg}");
    }

    [Fact]
    public async Task ExportHaproxy_ImportsBackToTheSameModel_ThroughTheApi()
    {
        await ApplyAsync(RichConfig);
        var before = (await _host.GetJsonAsync("/api/v1/config")).GetRawText();
        var cfg = await GetTextAsync("/api/v1/export/haproxy");

        using var import = await _host.Client.PostTextAsync("/api/v1/import/haproxy?replace=true", cfg);
        var report = await import.Content.ReadAsStringAsync();
        Assert.True(import.StatusCode == HttpStatusCode.OK, report);

        Assert.Equal(before, (await _host.GetJsonAsync("/api/v1/config")).GetRawText());
        var changes = (await import.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changes");
        Assert.True(changes.GetArrayLength() == 0, $"the round trip changed: {changes}");
    }

    [Fact]
    public async Task ExportWithVersion_ReturnsThatPublishedVersion_NotTheWorkingConfig()
    {
        Assert.Equal(1, await _host.SeedAndPublishAsync());
        using (var patch = await _host.PatchJsonAsync("/api/v1/backends/app/servers/s1", """{"weight":42}"""))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        }

        var published = await GetTextAsync("/api/v1/export/haproxy?version=1");
        var working = await GetTextAsync("/api/v1/export/haproxy");
        Assert.Contains("server s1 127.0.0.1:8081 check weight 1", published);
        Assert.Contains("server s1 127.0.0.1:8081 check weight 42", working);

        var native = JsonDocument.Parse(await GetTextAsync("/api/v1/export/native?version=1")).RootElement;
        Assert.Equal(1u, native.GetProperty("backends")[0].GetProperty("servers")[0].GetProperty("weight").GetUInt32());
    }

    [Theory]
    [InlineData("/api/v1/export/haproxy?version=7")]
    [InlineData("/api/v1/export/native?version=7")]
    public async Task ExportOfUnknownVersion_Returns404(string path)
    {
        await _host.SeedAndPublishAsync();
        using var response = await _host.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"errors":[{"object":"version 7","field":"name","message":"not found"}]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ExportNative_IsTheWorkingConfig_AndAppliesBackWithoutChanges()
    {
        await ApplyAsync(RichConfig);

        using var response = await _host.Client.GetAsync("/api/v1/export/native");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var native = await response.Content.ReadAsStringAsync();
        Assert.Equal((await _host.GetJsonAsync("/api/v1/config")).GetRawText(), Compact(native));
        Assert.Equal(256u, JsonDocument.Parse(native).RootElement.GetProperty("backends")[1].GetProperty("servers")[0].GetProperty("weight").GetUInt32());

        using var apply = await _host.Client.PostTextAsync("/api/v1/apply", native, "application/json");
        Assert.Equal("""{"dryRun":false,"changes":[],"summary":{"frontends":2,"backends":2,"servers":4,"added":0,"removed":0,"changed":0}}""",
            await apply.Content.ReadAsStringAsync());
    }
}
