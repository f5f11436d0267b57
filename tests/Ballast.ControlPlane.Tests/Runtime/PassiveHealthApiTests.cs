using System.Net;
using System.Text.Json;
using Ballast.ControlPlane.Tests.TestSupport;

namespace Ballast.ControlPlane.Tests.Runtime;

/// <summary>Server <c>observe</c>, <c>errorLimit</c>, <c>onError</c> through the admin API and the store.</summary>
public sealed class PassiveHealthApiTests : IAsyncLifetime
{
    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Fields_RoundTripThroughTheStore_WithHaproxyDefaults()
    {
        using (var put = await _host.PutJsonAsync("/api/v1/backends/app", """
            {"name":"app","mode":"http","servers":[
              {"name":"s1","address":"127.0.0.1","port":8081,"check":true,"observe":"layer7","errorLimit":5,"onError":"sudden-death"},
              {"name":"s2","address":"127.0.0.1","port":8082}]}
            """))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        var servers = (await _host.GetJsonAsync("/api/v1/backends/app/servers")).EnumerateArray().ToArray();
        Assert.Equal(("layer7", 5, "sudden-death"), (servers[0].GetProperty("observe").GetString(), servers[0].GetProperty("errorLimit").GetInt32(), servers[0].GetProperty("onError").GetString()));
        Assert.Equal(("none", 0, "fail-check"), (servers[1].GetProperty("observe").GetString(), servers[1].GetProperty("errorLimit").GetInt32(), servers[1].GetProperty("onError").GetString()));

        using var export = await _host.Client.GetAsync("/api/v1/export/haproxy");
        var text = await export.Content.ReadAsStringAsync();
        Assert.Contains("observe layer7 error-limit 5 on-error sudden-death", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Layer7_InModeTcp_Is422OnObserve()
    {
        using var put = await _host.PutJsonAsync("/api/v1/backends/db", """
            {"name":"db","mode":"tcp","servers":[{"name":"s1","address":"127.0.0.1","port":5432,"check":true,"observe":"layer7"}]}
            """);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, put.StatusCode);
        var error = JsonDocument.Parse(await put.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateArray().Single();
        Assert.Equal("observe", error.GetProperty("field").GetString());
        Assert.Contains("mode http", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOnErrorWord_Is400NamingTheField()
    {
        using var put = await _host.PutJsonAsync("/api/v1/backends/app/servers/s1", """{"name":"s1","address":"127.0.0.1","port":8081,"onError":"reboot"}""");
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Contains("onError", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
