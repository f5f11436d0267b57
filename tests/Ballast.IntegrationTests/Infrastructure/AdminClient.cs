using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ballast.IntegrationTests.Infrastructure;

/// <summary>Typed client of the control plane's admin API, authenticated with the admin token.</summary>
internal sealed class AdminClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;

    public AdminClient(Uri baseAddress, string token)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(15) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public Task PutBackendAsync(BackendDto backend) => SendAsync(HttpMethod.Put, $"api/v1/backends/{backend.Name}", backend);

    public Task PutFrontendAsync(FrontendDto frontend) => SendAsync(HttpMethod.Put, $"api/v1/frontends/{frontend.Name}", frontend);

    public Task PatchServerAsync(string backend, string server, object patch) =>
        SendAsync(HttpMethod.Patch, $"api/v1/backends/{backend}/servers/{server}", patch);

    public async Task<long> PublishAsync(string message)
    {
        using var response = await _http.PostAsJsonAsync("api/v1/publish", new { message }, Json);
        await EnsureSuccessAsync(response);
        var result = await response.Content.ReadFromJsonAsync<PublishResult>(Json);
        return result?.Version ?? throw new InvalidOperationException("publish answered no version");
    }

    /// <summary>Publishes and returns the HTTP response as is (for expected rejections).</summary>
    public Task<HttpResponseMessage> TryPublishAsync(string message) => _http.PostAsJsonAsync("api/v1/publish", new { message }, Json);

    public async Task<IReadOnlyList<NodeDto>> GetNodesAsync() => await GetAsync<List<NodeDto>>("api/v1/nodes");

    public async Task<NodeDto?> GetNodeAsync(string nodeId) =>
        (await GetNodesAsync()).FirstOrDefault(n => n.NodeId == nodeId);

    public async Task<IReadOnlyList<VersionDto>> GetVersionsAsync() => await GetAsync<List<VersionDto>>("api/v1/versions");

    public Task<JsonElement> GetConfigAsync() => GetAsync<JsonElement>("api/v1/config");

    /// <summary>
    /// The stats rows of <paramref name="nodeId"/> from <c>GET /api/v1/stats</c>
    /// (<c>{"nodes":[{"nodeId":..,"rows":[..]}],"fleet":[..]}</c>); empty until the node has reported.
    /// </summary>
    public async Task<IReadOnlyList<StatRowDto>> GetStatsAsync(string nodeId)
    {
        var body = await GetAsync<JsonElement>("api/v1/stats");
        foreach (var node in body.GetProperty("nodes").EnumerateArray())
        {
            if (node.GetProperty("nodeId").GetString() == nodeId)
            {
                return node.GetProperty("rows").Deserialize<List<StatRowDto>>(Json) ?? [];
            }
        }

        return [];
    }

    /// <summary>PUT <c>/api/v1/{path}</c> with a JSON body (any shape); throws on a non-2xx answer.</summary>
    public Task PutAsync(string path, object body) => SendAsync(HttpMethod.Put, "api/v1/" + path, body);

    /// <summary>PUT <c>/api/v1/{path}</c> with a JSON body; returns the JSON answer (throws on a non-2xx answer).</summary>
    public async Task<JsonElement> PutForJsonAsync(string path, object body)
    {
        using var response = await _http.PutAsync("api/v1/" + path, JsonContent.Create(body, body.GetType(), options: Json));
        await EnsureSuccessAsync(response);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Json);
    }

    /// <summary>DELETE <c>/api/v1/{path}</c>; returns the JSON answer, if any (throws on a non-2xx answer).</summary>
    public async Task<JsonElement> DeleteForJsonAsync(string path)
    {
        using var response = await _http.DeleteAsync("api/v1/" + path);
        await EnsureSuccessAsync(response);
        return response.Content.Headers.ContentLength == 0 ? default : await response.Content.ReadFromJsonAsync<JsonElement>(Json);
    }

    /// <summary>GET <c>/api/v1/{path}</c> as JSON.</summary>
    public Task<JsonElement> GetJsonAsync(string path) => GetAsync<JsonElement>("api/v1/" + path);

    public void Dispose() => _http.Dispose();

    private async Task<T> GetAsync<T>(string path)
    {
        using var response = await _http.GetAsync(path);
        await EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    private async Task SendAsync(HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, body.GetType(), options: Json) };
        using var response = await _http.SendAsync(request);
        await EnsureSuccessAsync(response);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync();
            throw new HttpRequestException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} -> {(int)response.StatusCode}: {text}",
                null,
                response.StatusCode);
        }
    }
}
