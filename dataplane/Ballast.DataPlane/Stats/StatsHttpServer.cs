using System.Net;
using System.Text;
using Ballast.DataPlane.Config;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ballast.DataPlane.Stats;

/// <summary>
/// The node's local stats port (<c>--stats-urls</c>, default <c>http://127.0.0.1:8404</c>, the port HAProxy's
/// documentation uses for <c>stats enable</c> and the Prometheus exporter): a separate small Kestrel server, never a
/// frontend bind, serving <c>GET /metrics</c> (Prometheus text format 0.0.4 with HAProxy's promex names, see
/// <see cref="PrometheusWriter"/>) and <c>GET /stats;csv</c> (HAProxy's <c>show stat</c> CSV, see
/// <see cref="StatsCsvWriter"/>; also any path ending in <c>;csv</c>, as HAProxy's stats URI accepts
/// <c>/haproxy?stats;csv</c>). Values are read from the counters at request time.
/// </summary>
internal sealed partial class StatsHttpServer : IHostedService, IAsyncDisposable
{
    private readonly NodeOptions _options;
    private readonly RuntimeModelHolder _holder;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private KestrelServer? _server;

    /// <summary>Creates the server (not started).</summary>
    /// <param name="options">Node settings (<see cref="NodeOptions.StatsUrls"/>).</param>
    /// <param name="holder">The served model.</param>
    /// <param name="timeProvider">Clock for <c>lastchg</c> and <c>downtime</c>.</param>
    /// <param name="loggerFactory">Loggers.</param>
    public StatsHttpServer(NodeOptions options, RuntimeModelHolder holder, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        _options = options;
        _holder = holder;
        _timeProvider = timeProvider;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<StatsHttpServer>();
    }

    /// <summary>The addresses listened on once started (ports resolved), empty when disabled.</summary>
    public IReadOnlyList<Uri> Addresses { get; private set; } = [];

    /// <summary>Starts listening on every URL of <see cref="NodeOptions.StatsUrls"/>; none → nothing.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.StatsUrls.Count == 0 || _server is not null)
        {
            return;
        }

        var options = new KestrelServerOptions { AddServerHeader = false };
        foreach (var url in _options.StatsUrls)
        {
            var address = IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) ? ip
                : url.Host is "localhost" ? IPAddress.Loopback
                : IPAddress.Any;
            options.Listen(address, url.Port, listen => listen.Protocols = HttpProtocols.Http1);
        }

        var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), _loggerFactory);
        var server = new KestrelServer(Options.Create(options), transport, _loggerFactory);
        await server.StartAsync(new Application(this), cancellationToken).ConfigureAwait(false);
        _server = server;
        Addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.Select(a => new Uri(a)).ToArray() ?? [];
        LogListening(_logger, string.Join(", ", Addresses));
    }

    /// <summary>Stops listening.</summary>
    /// <param name="cancellationToken">Ends the grace period.</param>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _server, null) is { } server)
        {
            try
            {
                await server.StopAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                server.Dispose();
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await StopAsync(grace.Token).ConfigureAwait(false);
    }

    /// <summary>Answers one request of the stats port.</summary>
    /// <param name="context">The request.</param>
    internal async Task HandleAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        string body;
        if (context.Request.Path == "/metrics")
        {
            context.Response.ContentType = PrometheusWriter.ContentType;
            body = PrometheusWriter.Write(StatsReportBuilder.Build(_holder.Current, _timeProvider));
        }
        else if (target.EndsWith(";csv", StringComparison.Ordinal))
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            body = StatsCsvWriter.Write(StatsReportBuilder.Build(_holder.Current, _timeProvider));
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "text/plain; charset=utf-8";
            body = "ballast-node stats: GET /metrics (Prometheus) or /stats;csv (HAProxy show stat CSV)\n";
        }

        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "stats port listening on {Addresses} (/metrics, /stats;csv)")]
    private static partial void LogListening(ILogger logger, string addresses);

    private sealed class Application(StatsHttpServer owner) : IHttpApplication<HttpContext>
    {
        public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

        public Task ProcessRequestAsync(HttpContext context) => owner.HandleAsync(context);

        public void DisposeContext(HttpContext context, Exception? exception)
        {
        }
    }
}
