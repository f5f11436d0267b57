using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ballast.ControlPlane.Tests.TestSupport;

namespace Ballast.ControlPlane.Tests.Validation;

/// <summary>
/// Issue 5 "bad option values are rejected by the control plane with a clear error", through the admin API, for the
/// option groups no other API test refuses: server <c>maxqueue</c>, <c>slowstartMs</c>, <c>errorLimit</c>,
/// <c>observe</c>; backend <c>timeoutQueueMs</c>, <c>retries</c>, <c>retryOn</c>, check <c>fastinterMs</c>/<c>downinterMs</c>;
/// frontend <c>forwardfor</c> in mode tcp. Each answer names the field and the reason, and nothing is stored.
/// </summary>
public sealed class DataPlaneOptionApiTests : IAsyncLifetime
{
    private const string Server = "\"name\":\"s1\",\"address\":\"127.0.0.1\",\"port\":8081";
    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("/api/v1/backends/app/servers/s1", "{" + Server + ",\"maxqueue\":2147483648}", "maxqueue", "0 (unlimited) or 1-2147483647")]
    [InlineData("/api/v1/backends/app/servers/s1", "{" + Server + ",\"slowstartMs\":4294967295}", "slowstartMs", "0 (off) or 1-2147483647")]
    [InlineData("/api/v1/backends/app/servers/s1", "{" + Server + ",\"check\":true,\"errorLimit\":2147483648}", "errorLimit", "1-2147483647")]
    [InlineData("/api/v1/backends/app", "{\"timeoutQueueMs\":2147483648}", "timeoutQueueMs", "1-2147483647")]
    [InlineData("/api/v1/backends/app", "{\"retries\":101}", "retries", "0-100")]
    [InlineData("/api/v1/backends/app", "{\"retryOn\":[\"conn-failure\",\"on-tuesdays\"]}", "retryOn[1]", "must be one of")]
    [InlineData("/api/v1/backends/app", "{\"healthCheck\":{\"type\":\"http\",\"path\":\"/\",\"fastinterMs\":2147483648}}", "healthCheck.fastinterMs", "1-2147483647")]
    [InlineData("/api/v1/backends/app", "{\"healthCheck\":{\"type\":\"http\",\"path\":\"/\",\"downinterMs\":2147483648}}", "healthCheck.downinterMs", "1-2147483647")]
    [InlineData("/api/v1/frontends/db", "{\"mode\":\"tcp\",\"binds\":[\"127.0.0.1:15432\"],\"forwardfor\":true}", "forwardfor", "mode http")]
    public async Task BadValue_Is422NamingTheFieldAndReason_AndNothingIsStored(string path, string body, string field, string reason)
    {
        await _host.SeedValidConfigAsync();
        var before = await ConfigTextAsync();

        using var response = await _host.PutJsonAsync(path, body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray().ToList();
        var error = Assert.Single(errors, e => e.GetProperty("field").GetString() == field);
        Assert.Contains(reason, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await ConfigTextAsync());
    }

    [Fact]
    public async Task UnknownObserveWord_Is400NamingTheField()
    {
        await _host.SeedValidConfigAsync();

        using var response = await _host.PutJsonAsync("/api/v1/backends/app/servers/s1", "{" + Server + ",\"observe\":\"layer9\"}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("observe", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<string> ConfigTextAsync() => (await _host.GetJsonAsync("/api/v1/config")).GetRawText();
}
