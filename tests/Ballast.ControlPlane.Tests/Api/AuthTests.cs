using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Ballast.ControlPlane.Tests.TestSupport;

namespace Ballast.ControlPlane.Tests.Api;

public sealed class AuthTests : IAsyncLifetime
{
    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("GET", "/api/v1/frontends")]
    [InlineData("GET", "/api/v1/config")]
    [InlineData("GET", "/api/v1/nodes")]
    [InlineData("POST", "/api/v1/publish")]
    [InlineData("PUT", "/api/v1/backends/app")]
    [InlineData("DELETE", "/api/v1/frontends/web")]
    public async Task ApiWithoutToken_Returns401WithBearerChallenge(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "PUT" or "POST")
        {
            request.Content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await _host.Anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Authorization", body.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("Bearer wrong-token")]
    [InlineData("Bearer test-admin-token-extra")]
    [InlineData("Basic dGVzdC1hZG1pbi10b2tlbg==")]
    public async Task ApiWithWrongToken_Returns401(string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/frontends");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await _host.Anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ApiWithToken_Returns200()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/frontends");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ControlPlaneHost.Token);
        using var response = await _host.Anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_IsServedWithoutToken_AndDescribesTheApi()
    {
        var doc = await _host.Anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = doc.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/publish", out _));
        Assert.True(paths.TryGetProperty("/api/v1/backends/{backend}/servers/{server}", out _));
        var states = doc.GetProperty("components").GetProperty("schemas").GetProperty("ServerState").GetProperty("enum");
        Assert.Equal(["ready", "drain", "maint"], states.EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("bearer", doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
    }
}
