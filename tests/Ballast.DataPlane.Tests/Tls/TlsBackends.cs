using System.Net;
using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Ballast.DataPlane.Tests.Tls;

/// <summary>
/// Real Kestrel servers for the TLS tests: an HTTP(S) server answering its name and the HTTP version it saw, with
/// a WebSocket echo on <c>/ws</c>; over HTTPS it records the SNI each handshake sent.
/// </summary>
internal sealed class TlsBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile string? _lastSni;

    private TlsBackend(WebApplication app) => _app = app;

    public int Port { get; private set; }

    /// <summary>The SNI of the last handshake ("" when none was sent); null before any.</summary>
    public string? LastSni => _lastSni;

    /// <summary>Starts the server; with <paramref name="certificate"/> it speaks HTTPS (HTTP/1.1 only).</summary>
    public static async Task<TlsBackend> StartAsync(string name, X509Certificate2? certificate = null, X509Certificate2Collection? chain = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        TlsBackend? backend = null;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                var context = SslStreamCertificateContext.Create(certificate, chain, offline: true); // leaf + intermediate
                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = handshake =>
                    {
                        backend!._lastSni = handshake.ClientHelloInfo.ServerName ?? string.Empty;
                        return ValueTask.FromResult(new SslServerAuthenticationOptions { ServerCertificateContext = context });
                    },
                });
            }
        }));
        var app = builder.Build();
        backend = new TlsBackend(app);
        app.UseWebSockets();
        app.Run(async context =>
        {
            if (context.WebSockets.IsWebSocketRequest)
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[4096];
                while (true)
                {
                    var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
                        return;
                    }

                    await socket.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, context.RequestAborted);
                }
            }

            var body = $"{name} {context.Request.Protocol}";
            context.Response.ContentLength = body.Length;
            await context.Response.WriteAsync(body);
        });
        await app.StartAsync();
        backend.Port = new Uri(app.Urls.First()).Port;
        return backend;
    }

    public async ValueTask DisposeAsync()
    {
        using var quick = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await _app.StopAsync(quick.Token);
        await _app.DisposeAsync();
    }
}
