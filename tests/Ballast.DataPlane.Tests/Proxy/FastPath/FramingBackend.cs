using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ballast.DataPlane.Tests.Proxy.FastPath;

/// <summary>
/// A Kestrel server with the responses framing tests need: <c>/chunked</c> (chunked body), <c>/big?n=</c>
/// (n bytes with Content-Length), <c>/echo</c> (the request body back, and its length in <c>X-Received</c>),
/// <c>/status?code=</c> (empty body), <c>/abort</c> (headers and part of a body, then a reset), and anything else
/// "ok". Counts the TCP connections it accepted.
/// </summary>
internal sealed class FramingBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _connections;

    private FramingBackend(WebApplication app) => _app = app;

    public int Port { get; private set; }

    public int Connections => Volatile.Read(ref _connections);

    public static async Task<FramingBackend> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.Limits.MaxRequestBodySize = null;
            options.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        var backend = new FramingBackend(app);
        app.Use(async (context, next) =>
        {
            lock (backend._seen)
            {
                if (backend._seen.Add(context.Connection.Id))
                {
                    backend._connections++;
                }
            }

            await next(context);
        });
        app.Run(context => backend.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        backend.Port = new Uri(address).Port;
        return backend;
    }

    private readonly HashSet<string> _seen = [];

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        switch (request.Path.Value)
        {
            case "/chunked":
                await response.WriteAsync("hello ");
                await response.Body.FlushAsync();
                await response.WriteAsync("chunked world");
                break;
            case "/big":
                var n = int.Parse(request.Query["n"]!, System.Globalization.CultureInfo.InvariantCulture);
                response.ContentLength = n;
                var block = new byte[64 * 1024];
                Array.Fill(block, (byte)'x');
                for (var sent = 0; sent < n; sent += block.Length)
                {
                    await response.Body.WriteAsync(block.AsMemory(0, Math.Min(block.Length, n - sent)));
                }

                break;
            case "/echo":
                using (var copy = new MemoryStream())
                {
                    await request.Body.CopyToAsync(copy);
                    response.Headers["X-Received"] = copy.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    response.ContentLength = copy.Length;
                    copy.Position = 0;
                    await copy.CopyToAsync(response.Body);
                }

                break;
            case "/status":
                response.StatusCode = int.Parse(request.Query["code"]!, System.Globalization.CultureInfo.InvariantCulture);
                if (response.StatusCode == 304 || HttpMethods.IsHead(request.Method))
                {
                    response.ContentLength = 5; // what a GET would carry: no body follows
                }

                break;
            case "/abort":
                response.ContentLength = 100_000;
                await response.WriteAsync(new string('y', 1000));
                await response.Body.FlushAsync();
                await Task.Delay(100);
                context.Abort();
                break;
            default:
                response.ContentLength = 2;
                if (!HttpMethods.IsHead(request.Method))
                {
                    await response.WriteAsync("ok");
                }

                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var immediate = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(immediate.Token);
        await _app.DisposeAsync();
    }
}
