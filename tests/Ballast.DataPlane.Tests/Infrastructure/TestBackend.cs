using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ballast.DataPlane.Tests.Infrastructure;

/// <summary>A real Kestrel HTTP server on 127.0.0.1 (port chosen by the OS) answering its own name.</summary>
public sealed class TestBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;
    private int _healthChecks;
    private bool _stopped;

    private TestBackend(string name, WebApplication app)
    {
        Name = name;
        _app = app;
    }

    public string Name { get; }

    public int Port { get; private set; }

    /// <summary>Proxied (non-health) requests served.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public int HealthChecks => Volatile.Read(ref _healthChecks);

    /// <summary>Status answered to /health.</summary>
    public int HealthStatus { get; set; } = 200;

    /// <summary>Status answered to every proxied request when set (a failing server).</summary>
    public int? ForcedStatus { get; set; }

    /// <summary>The X-Forwarded-For (all values, comma-joined) of the last proxied request; null when absent.</summary>
    public string? LastForwardedFor { get; private set; }

    public static async Task<TestBackend> StartAsync(string name, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var backend = new TestBackend(name, app);
        app.Run(async context =>
        {
            if (context.Request.Path == "/health")
            {
                Interlocked.Increment(ref backend._healthChecks);
                context.Response.StatusCode = backend.HealthStatus;
                return;
            }

            Interlocked.Increment(ref backend._requests);
            backend.LastForwardedFor = context.Request.Headers.TryGetValue("X-Forwarded-For", out var xff) ? xff.ToString() : null;
            if (backend.ForcedStatus is { } forced)
            {
                context.Response.StatusCode = forced;
            }
            if (context.Request.Query.TryGetValue("delayMs", out var delay))
            {
                await Task.Delay(int.Parse(delay!, System.Globalization.CultureInfo.InvariantCulture), context.RequestAborted);
            }

            if (context.Request.Query.TryGetValue("status", out var status))
            {
                context.Response.StatusCode = int.Parse(status!, System.Globalization.CultureInfo.InvariantCulture);
            }

            context.Response.Headers["X-Backend"] = name;
            context.Response.ContentLength = System.Text.Encoding.UTF8.GetByteCount(name);
            await context.Response.WriteAsync(name, context.RequestAborted);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        backend.Port = new Uri(address).Port;
        return backend;
    }

    /// <summary>Stops the server: the port refuses connections afterwards.</summary>
    public async Task KillAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        using var immediate = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await _app.StopAsync(immediate.Token);
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync() => await KillAsync();
}
