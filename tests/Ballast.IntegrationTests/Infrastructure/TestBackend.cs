using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ballast.IntegrationTests.Infrastructure;

/// <summary>
/// An in-process Kestrel server on 127.0.0.1 that answers with its name and counts the requests it gets.
/// Requests to <see cref="HealthPath"/> (the node's health checks) are counted apart.
/// </summary>
internal sealed class TestBackend : IAsyncDisposable
{
    public const string HealthPath = "/health";

    private WebApplication? _app;
    private int _requests;
    private int _healthChecks;

    private TestBackend(string name) => Name = name;

    public string Name { get; }

    public int Port { get; private set; }

    /// <summary>Proxied (non health-check) requests received.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Health checks received.</summary>
    public int HealthChecks => Volatile.Read(ref _healthChecks);

    public bool IsRunning => _app is not null;

    public static async Task<TestBackend> StartAsync(string name)
    {
        var backend = new TestBackend(name);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(context =>
        {
            if (context.Request.Path == HealthPath)
            {
                Interlocked.Increment(ref backend._healthChecks);
                return context.Response.WriteAsync("ok\n");
            }

            Interlocked.Increment(ref backend._requests);
            return context.Response.WriteAsync(name + "\n");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        backend.Port = new Uri(address).Port;
        backend._app = app;
        return backend;
    }

    public void ResetCounts()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _healthChecks, 0);
    }

    /// <summary>Stops listening: new connections are refused from now on.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await app.StopAsync(timeout.Token);
            await app.DisposeAsync();
        }
    }

    public ServerDto ToServer(int weight = 1, string state = "ready") => new(Name, "127.0.0.1", Port, weight, 0, state, true);

    public ValueTask DisposeAsync() => new(StopAsync());
}
