using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Ballast.ControlPlane.Hosting;
using Ballast.ControlPlane.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Ballast.ControlPlane.Tests.TestSupport;

/// <summary>The real control plane started in-process on 127.0.0.1 with free ports and a temp data folder.</summary>
public sealed class ControlPlaneHost : IAsyncDisposable
{
    public const string Token = "test-admin-token";

    private readonly TempDirectory _dir;
    private readonly bool _ownsDir;

    private ControlPlaneHost(WebApplication app, TempDirectory dir, bool ownsDir)
    {
        App = app;
        _dir = dir;
        _ownsDir = ownsDir;
        var endpoints = ControlPlaneApp.GetEndpoints(app);
        BaseUri = new Uri(endpoints.DashboardUrl);
        NodeUri = new Uri(endpoints.NodeUrl);
        Client = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Anonymous = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    public static JsonSerializerOptions Json { get; } = ModelJson.Create();

    public WebApplication App { get; }

    public Uri BaseUri { get; }

    public Uri NodeUri { get; }

    public string DataDir => _dir.Path;

    /// <summary>Sends the admin token.</summary>
    public HttpClient Client { get; }

    /// <summary>Sends no token.</summary>
    public HttpClient Anonymous { get; }

    public static Task<ControlPlaneHost> StartAsync() => StartAsync(new TempDirectory(), ownsDir: true);

    public static async Task<ControlPlaneHost> StartAsync(TempDirectory dir, bool ownsDir)
    {
        var options = new ControlPlaneOptions
        {
            Urls = "http://127.0.0.1:0",
            NodeUrls = "http://127.0.0.1:0",
            DataDir = dir.Path,
            AdminToken = Token,
        };
        var app = ControlPlaneApp.Build(options, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(timeout.Token);
        return new ControlPlaneHost(app, dir, ownsDir);
    }

    public Task<HttpResponseMessage> PutAsync<T>(string path, T body) => Client.PutAsJsonAsync(path, body, Json);

    public Task<HttpResponseMessage> PutJsonAsync(string path, string json) =>
        Client.PutAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    public Task<HttpResponseMessage> PatchJsonAsync(string path, string json) =>
        Client.PatchAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    public async Task<T> GetAsync<T>(string path)
    {
        using var response = await Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<HttpResponseMessage> PublishAsync(string message = "test") =>
        await Client.PostAsJsonAsync("/api/v1/publish", new { message });

    /// <summary>A valid minimal configuration: backend 'app' with server 's1', frontend 'web'.</summary>
    public async Task SeedValidConfigAsync(int bindPort = 18080)
    {
        using var backend = await PutJsonAsync("/api/v1/backends/app", """
            {"name":"app","mode":"http","balance":"roundrobin",
             "healthCheck":{"type":"http","method":"GET","path":"/","expectStatus":200,"interMs":2000,"rise":2,"fall":3,"timeoutMs":1000},
             "servers":[{"name":"s1","address":"127.0.0.1","port":8081,"weight":1,"maxconn":0,"state":"ready","check":true}]}
            """);
        Assert.True(backend.IsSuccessStatusCode, await backend.Content.ReadAsStringAsync());
        using var frontend = await PutJsonAsync("/api/v1/frontends/web",
            $$"""{"name":"web","mode":"http","binds":["127.0.0.1:{{bindPort}}"],"defaultBackend":"app","maxconn":0}""");
        Assert.True(frontend.IsSuccessStatusCode, await frontend.Content.ReadAsStringAsync());
    }

    /// <summary>Seeds a valid configuration and publishes it; returns the version.</summary>
    public async Task<long> SeedAndPublishAsync(string message = "seed")
    {
        await SeedValidConfigAsync();
        using var response = await PublishAsync(message);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await App.StopAsync(timeout.Token);
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownsDir)
        {
            _dir.Dispose();
        }
    }
}
