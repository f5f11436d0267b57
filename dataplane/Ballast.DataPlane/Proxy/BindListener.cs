using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ballast.DataPlane.Proxy;

/// <summary>
/// One frontend bind, served by its own small <see cref="KestrelServer"/> (HTTP/1.1, no Server header, no body
/// size limit) whose connection middleware relays <c>mode tcp</c> connections itself. A bind is opened once and kept open across snapshots while some frontend still binds it, so its
/// connections are never dropped by a reconfiguration; it is closed gracefully when no frontend binds it anymore.
/// </summary>
internal sealed class BindListener : IAsyncDisposable
{
    private readonly KestrelServer _server;
    private readonly KestrelServerLimits _limits;
    private int _stopped;

    private BindListener(BindContext context, KestrelServer server, KestrelServerLimits limits)
    {
        Context = context;
        _server = server;
        _limits = limits;
    }

    /// <summary>The bind and its frontend lookup.</summary>
    public BindContext Context { get; }

    /// <summary>Opens the bind and starts serving it.</summary>
    /// <param name="context">The bind to serve.</param>
    /// <param name="handler">Request handler (mode http).</param>
    /// <param name="tcp">Connection handler (mode tcp).</param>
    /// <param name="services">Application services handed to Kestrel.</param>
    /// <param name="loggerFactory">Logger factory for Kestrel.</param>
    /// <param name="timeProvider">Clock for the connection middleware.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <param name="fastPath">The HTTP/1.1 fast path for eligible mode http frontends; null = Kestrel + YARP only.</param>
    /// <param name="transport">The node's transport (<see cref="Transport.EpollTransport"/>); null = Kestrel's socket transport.</param>
    /// <returns>The listening bind.</returns>
    /// <exception cref="BindException">The address could not be bound; the message says why.</exception>
    public static async Task<BindListener> StartAsync(
        BindContext context,
        ProxyRequestHandler handler,
        TcpProxyHandler tcp,
        IServiceProvider services,
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider,
        CancellationToken cancellationToken,
        FastPath.Http1FastPath? fastPath = null,
        IConnectionListenerFactory? transport = null)
    {
        var middleware = new FrontendConnectionMiddleware(context, tcp, timeProvider, fastPath);
        var options = new KestrelServerOptions { AddServerHeader = false, ApplicationServices = services };
        options.Limits.MaxRequestBodySize = null;
        var acceptProxy = new ProxyProtocol.AcceptProxyMiddleware(context, timeProvider, loggerFactory.CreateLogger<ProxyProtocol.AcceptProxyMiddleware>());
        var tls = new Tls.TlsConnectionStep(context, loggerFactory.CreateLogger<Tls.TlsConnectionStep>());
        options.Listen(context.Endpoint.ToIPEndPoint(), listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2; // HTTP/2 only when TLS ALPN selects h2 (plain connections stay HTTP/1.1)
            listen.Use(next => connection => acceptProxy.OnConnectionAsync(connection, next)); // first: before TLS
            tls.Install(listen); // ssl binds: TLS handshake (certificate by SNI), then the frontend
            listen.Use(next => connection => middleware.OnConnectionAsync(connection, next));
        });
        transport ??= new SocketTransportFactory(
            Options.Create(new SocketTransportOptions { UnsafePreferInlineScheduling = NodeRuntimeTuning.InlineScheduling }),
            loggerFactory);
        var server = new KestrelServer(Options.Create(options), transport, loggerFactory);
        try
        {
            await server.StartAsync(new ProxyHttpApplication(context, handler), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            server.Dispose();
            throw new BindException(Describe(ex), ex);
        }

        return new BindListener(context, server, options.Limits);
    }

    /// <summary>
    /// Sets the bind's Kestrel limits from its frontend's HAProxy <c>timeout http-request</c> and <c>timeout
    /// http-keep-alive</c> (<see cref="KestrelServerLimits.RequestHeadersTimeout"/>,
    /// <see cref="KestrelServerLimits.KeepAliveTimeout"/>). Kestrel reads them when it creates a connection's HTTP
    /// handler, so a snapshot changes them for new connections: an expired header wait answers 408 and closes, an idle
    /// keep-alive connection is closed.
    /// </summary>
    /// <param name="options">The options of the frontend now owning the bind.</param>
    public void ApplyHttpTimeouts(Config.FrontendOptions options)
    {
        _limits.RequestHeadersTimeout = options.HttpRequestTimeout;
        _limits.KeepAliveTimeout = options.HttpKeepAliveTimeout;
    }

    /// <summary>
    /// Stops listening at once, then lets in-flight requests finish until <paramref name="cancellationToken"/>
    /// fires, after which remaining connections are aborted (Kestrel's graceful shutdown).
    /// </summary>
    /// <param name="cancellationToken">Ends the grace period.</param>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            try
            {
                await _server.StopAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _server.Dispose();
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await StopAsync(grace.Token).ConfigureAwait(false);
    }

    private static string Describe(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is AddressInUseException)
            {
                return "address already in use";
            }

            if (current is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.AddressAlreadyInUse => "address already in use",
                    SocketError.AddressNotAvailable => "cannot assign requested address",
                    SocketError.AccessDenied => "permission denied",
                    _ => socket.Message,
                };
            }
        }

        return exception.Message;
    }
}

/// <summary>A bind could not be opened.</summary>
/// <param name="message">Why, e.g. "address already in use".</param>
/// <param name="innerException">The underlying error.</param>
internal sealed class BindException(string message, Exception innerException) : Exception(message, innerException);
