using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ballast.DataPlane.Tests.Rules;

/// <summary>A real Kestrel server on 127.0.0.1 answering "name target" and echoing request headers as X-Echo-*; optional Set-Cookie.</summary>
public sealed class EchoBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EchoBackend(string name, WebApplication app)
    {
        Name = name;
        _app = app;
    }

    public string Name { get; }

    public int Port { get; private set; }

    /// <summary>When set, every response carries this Set-Cookie line.</summary>
    public string? SetCookie { get; set; }

    public static async Task<EchoBackend> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var backend = new EchoBackend(name, app);
        app.Run(async context =>
        {
            foreach (var header in context.Request.Headers)
            {
                context.Response.Headers["X-Echo-" + header.Key] = header.Value.ToString();
            }

            context.Response.Headers["X-Backend"] = name;
            if (backend.SetCookie is { } cookie)
            {
                context.Response.Headers.SetCookie = cookie;
            }

            var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
            await context.Response.WriteAsync($"{name} {target}", context.RequestAborted);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        backend.Port = new Uri(address).Port;
        return backend;
    }

    public async Task StopAsync()
    {
        using var immediate = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await _app.StopAsync(immediate.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}
