using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ballast.ControlPlane.Tests.TestSupport;

namespace Ballast.ControlPlane.Tests.ProxyProtocol;

/// <summary>
/// Admin API, store and validation of frontend <c>timeoutHttpRequestMs</c>/<c>timeoutHttpKeepAliveMs</c>/<c>forwardfor*</c>,
/// backend <c>timeoutTunnelMs</c>/<c>forwarded</c>/<c>forwardedParams</c> and server <c>sendProxy</c>.
/// </summary>
public sealed class ProxyHeaderApiTests : IAsyncLifetime
{
    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task FrontendFields_AreStoredAndReturned()
    {
        await _host.SeedValidConfigAsync();
        using (var put = await _host.PutJsonAsync("/api/v1/frontends/web",
            """{"binds":["127.0.0.1:18080"],"defaultBackend":"app","timeoutHttpRequestMs":5000,"timeoutHttpKeepAliveMs":2000,"forwardfor":true,"forwardforExcept":"10.0.0.0/8","forwardforHeader":"X-Client"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var web = await _host.GetJsonAsync("/api/v1/frontends/web");
        Assert.Equal(
            (5000u, 2000u, true, "10.0.0.0/8", "X-Client"),
            (web.GetProperty("timeoutHttpRequestMs").GetUInt32(), web.GetProperty("timeoutHttpKeepAliveMs").GetUInt32(), web.GetProperty("forwardfor").GetBoolean(),
                web.GetProperty("forwardforExcept").GetString(), web.GetProperty("forwardforHeader").GetString()));
    }

    [Fact]
    public async Task BackendAndServerFields_AreStoredAndReturnedWithHaproxyWords()
    {
        await _host.SeedValidConfigAsync();
        using (var put = await _host.PutJsonAsync("/api/v1/backends/app",
            """{"timeoutTunnelMs":3600000,"forwarded":true,"forwardedParams":["proto","for"],"servers":[{"name":"s1","address":"127.0.0.1","port":8081,"sendProxy":"send-proxy-v2"}]}"""))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var app = await _host.GetJsonAsync("/api/v1/backends/app");
        Assert.Equal(3600000u, app.GetProperty("timeoutTunnelMs").GetUInt32());
        Assert.True(app.GetProperty("forwarded").GetBoolean());
        Assert.Equal("[\"proto\",\"for\"]", app.GetProperty("forwardedParams").GetRawText());
        Assert.Equal("send-proxy-v2", app.GetProperty("servers")[0].GetProperty("sendProxy").GetString());
        using var published = await _host.PublishAsync();
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/frontends/web", """{"binds":["127.0.0.1:18080"],"defaultBackend":"app","forwardfor":true,"forwardforExcept":"10.0.0.0/33"}""", "forwardforExcept")]
    [InlineData("/api/v1/frontends/web", """{"binds":["127.0.0.1:18080"],"defaultBackend":"app","forwardforHeader":"X-Client"}""", "forwardforHeader")]
    [InlineData("/api/v1/frontends/web", """{"binds":["127.0.0.1:18080"],"defaultBackend":"app","timeoutHttpRequestMs":2147483648}""", "timeoutHttpRequestMs")]
    [InlineData("/api/v1/frontends/web", """{"binds":["127.0.0.1:18080"],"defaultBackend":"app","timeoutHttpKeepAliveMs":4294967295}""", "timeoutHttpKeepAliveMs")]
    [InlineData("/api/v1/backends/app", """{"timeoutTunnelMs":2147483648}""", "timeoutTunnelMs")]
    [InlineData("/api/v1/backends/app", """{"forwarded":true,"forwardedParams":["proto","nope"]}""", "forwardedParams[1]")]
    [InlineData("/api/v1/backends/app", """{"forwardedParams":["for"]}""", "forwardedParams")]
    [InlineData("/api/v1/backends/app", """{"servers":[{"name":"s1","address":"127.0.0.1","port":8081,"sendProxy":"v3"}]}""", "sendProxy")]
    public async Task InvalidValues_AreRejectedNamingTheField(string path, string body, string field)
    {
        await _host.SeedValidConfigAsync();

        using var response = await _host.PutJsonAsync(path, body);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity, response.StatusCode.ToString()); // 400 unreadable, 422 invalid
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains(errors.EnumerateArray(), e => (e.GetProperty("field").GetString() ?? string.Empty).EndsWith(field, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ForwardedInModeTcp_IsRejected()
    {
        using var backend = await _host.PutJsonAsync("/api/v1/backends/db", """{"mode":"tcp","forwarded":true,"servers":[{"name":"s1","address":"127.0.0.1","port":5432}]}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, backend.StatusCode);
        var error = (await backend.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0];
        Assert.Equal(("forwarded", "applies only to mode http"), (error.GetProperty("field").GetString(), error.GetProperty("message").GetString()));
    }
}
