using System.Net;
using System.Net.Http;
using Ballast.DataPlane.Config;
using Ballast.DataPlane.LoadBalancing;
using Ballast.DataPlane.Rules;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Ballast.DataPlane.Proxy;

/// <summary>
/// Proxies one HTTP request: frontend → <c>default_backend</c> → a server chosen by the backend's balancer (hashing
/// algorithms read the client address, the request-target as received and the headers), forwarded with YARP's
/// <see cref="IHttpForwarder"/> over one shared <see cref="HttpMessageInvoker"/>, with the backend's
/// <c>timeout server</c> as the activity timeout (504 when the server stays silent). Headers pass through unchanged
/// (including <c>Host</c>, as HAProxy does; no X-Forwarded-For yet).
/// <para>
/// Retries follow the backend's <c>retries</c> (default 3), <c>retry-on</c> (default conn-failure; see
/// <see cref="RetryAttempt"/>) and <c>option redispatch</c> (default every retry): a failed attempt is retried, on
/// another server when the redispatch interval says so and one is available (same server otherwise). Servers are
/// taken through the backend's queue (<see cref="BackendQueue"/>): when all usable servers are at <c>maxconn</c>
/// the request waits up to <c>timeout queue</c>. Each retry counts <c>wretr</c> on the server and its backend; a
/// retry that moves to another server also counts <c>wredis</c> there. When attempts run out, <c>econ</c> is counted and the client
/// gets HAProxy's 503 page, as do requests finding no usable server (all DOWN/DRAIN/MAINT, weight 0, or all at
/// <c>maxconn</c>).
/// </para>
/// </summary>
internal sealed class ProxyRequestHandler : IDisposable
{
    private readonly IHttpForwarder _forwarder;
    private readonly HttpMessageInvoker _invoker;

    /// <summary>Creates the handler.</summary>
    /// <param name="forwarder">YARP's forwarder.</param>
    /// <param name="invoker">The shared client to servers.</param>
    public ProxyRequestHandler(IHttpForwarder forwarder, HttpMessageInvoker invoker)
    {
        _forwarder = forwarder;
        _invoker = invoker;
    }

    /// <summary>Records timing averages and access logs at the end of each request (set by the container).</summary>
    internal Logging.AccessLogWriter? AccessLog { get; init; }

    /// <summary>The shared client to <c>ssl</c> servers (<see cref="Tls.ServerTlsConnector"/>; set by the container).</summary>
    internal HttpMessageInvoker? TlsInvoker { get; init; }

    /// <summary>Disposes the shared client.</summary>
    public void Dispose()
    {
        _invoker.Dispose();
        TlsInvoker?.Dispose();
    }

    /// <summary>Creates the shared client: pooled connections, no proxy, redirects, decompression or cookies.</summary>
    /// <param name="connectTimeout">Connect timeout of requests that do not carry their backend's <c>timeout connect</c>.</param>
    public static HttpMessageInvoker CreateInvoker(TimeSpan connectTimeout) => new(
        new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = null,
            ConnectCallback = BackendConnector.Create(connectTimeout),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            EnableMultipleHttp2Connections = true,
        },
        disposeHandler: true);

    /// <summary>Handles a request that arrived on a bind of <paramref name="frontend"/>.</summary>
    /// <param name="context">The request.</param>
    /// <param name="frontend">The frontend owning the bind.</param>
    public async Task HandleAsync(HttpContext context, FrontendRuntime frontend)
    {
        var streamLog = context.Features.Get<Logging.StreamLog>();
        streamLog?.BeginRequest();
        streamLog?.CaptureRequest(context.Request.Headers, frontend.AccessLog);
        var frontendCounters = frontend.Counters;
        frontendCounters.CountRequest();
        var backend = frontend.DefaultBackend;
        var rules = frontend.Rules is null ? null : HttpRuleSession.Begin(context, frontend.Rules);
        if (rules is not null)
        {
            backend = await rules.ProcessRequestAsync(backend).ConfigureAwait(false);
        }

        ServerRuntime? server = null;
        if (rules is { Responded: true })
        {
            // Answered by an http-request rule (deny, redirect, return): nothing is forwarded.
            if (rules.Denied)
            {
                // HAProxy http_process_req_common: dreq of the frontend, and of the backend when its rules denied.
                frontendCounters.CountDeniedRequest();
                rules.RuleBackend?.State.Counters.CountDeniedRequest();
            }

            if (rules.RuleBackend is { } assigned)
            {
                // HAProxy: the backend was assigned before its own rules answered, so the request, its session and
                // its response count there too (req_tot, stot, hrsp_*).
                var assignedCounters = assigned.State.Counters;
                assignedCounters.CountRequest();
                assignedCounters.OpenSession();
                assignedCounters.CloseSession();
                assignedCounters.CountResponse(context.Response.StatusCode);
            }
        }
        else if (backend is null)
        {
            await ProxyResponses.WriteServiceUnavailableAsync(context).ConfigureAwait(false);
        }
        else
        {
            var backendCounters = backend.State.Counters;
            backendCounters.CountRequest();
            backendCounters.OpenSession();
            try
            {
                server = await ForwardAsync(context, frontend, backend, rules).ConfigureAwait(false);
            }
            finally
            {
                backendCounters.CloseSession();
            }

            backendCounters.CountResponse(context.Response.StatusCode);
        }

        frontendCounters.CountResponse(context.Response.StatusCode);
        var bytes = context.Features.Get<ConnectionByteCounter>();
        if (bytes is not null)
        {
            var (received, sent) = bytes.TakeDelta();
            frontendCounters.AddBytes(received, sent);
            backend?.State.Counters.AddBytes(received, sent);
            server?.State.Counters.AddBytes(received, sent);
            AccessLog?.CompleteHttp(context, frontend, backend, server, received, sent);
        }

        streamLog?.EndRequest(); // Ti of the next request on this connection starts now
    }

    private async Task<ServerRuntime?> ForwardAsync(HttpContext context, FrontendRuntime frontend, BackendRuntime backend, HttpRuleSession? rules)
    {
        var backendCounters = backend.State.Counters;
        var input = new BalanceInput(
            context.Connection.RemoteIpAddress,
            context.Features.Get<IHttpRequestFeature>()?.RawTarget,
            context.Request.Headers);
        var exclusions = default(ServerExclusions);
        var options = backend.Options;
        var retry = RetryAttempt.Start(context, options);
        ServerRuntime? failed = null;
        var stay = false;
        for (var attempt = 0; ; attempt++)
        {
            // Without a redispatch on this retry, the same server is tried again (HAProxy option redispatch interval).
            var persistent = attempt == 0 && rules is not null
                ? await rules.PickPersistentAsync(backend, context.RequestAborted).ConfigureAwait(false)
                : default;
            if (persistent.Refused is { } refused)
            {
                // maxqueue reached without redispatch, or timeout queue expired in the server's queue: 503.
                refused.State.Counters.CountConnectionError();
                backendCounters.CountConnectionError();
                await ProxyResponses.WriteServiceUnavailableAsync(context).ConfigureAwait(false);
                return null;
            }

            var server = stay && failed!.IsUsable && failed.TryAcquire()
                ? failed
                : persistent.Server
                    ?? await BackendQueue.PickAsync(backend, input, exclusions, context.RequestAborted).ConfigureAwait(false);
            if (server is null && failed is not null && failed.IsUsable && failed.TryAcquire())
            {
                server = failed; // no other server: retry the same one, as HAProxy without a redispatch target
            }

            if (server is null)
            {
                if (failed is not null)
                {
                    failed.State.Counters.CountConnectionError();
                    backendCounters.CountConnectionError();
                }

                await ProxyResponses.WriteServiceUnavailableAsync(context).ConfigureAwait(false);
                return failed;
            }

            if (failed is not null && !ReferenceEquals(failed, server))
            {
                failed.State.Counters.CountRedispatch();
                backendCounters.CountRedispatch();
            }

            rules?.ServerChosen(backend, server);
            ForwarderError error;
            retry.RetriesLeft = attempt < options.Retries;
            retry.HeldStatus = 0;
            try
            {
                var transformer = frontend.Options.TransformerFor(backend);
                var invoker = server.SendProxy == Proto.V1.ProxyProtocolVersion.ProxyProtocolNone ? (server.Tls is null ? _invoker : TlsInvoker ?? _invoker) : ProxyProtocol.SendProxyClients.For(context, server.SendProxy);
                var requestConfig = context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true ? backend.UpgradeForwarderConfig : backend.ForwarderConfig;
                error = await _forwarder.SendAsync(context, server.DestinationPrefix, invoker, requestConfig, rules?.Wrap(transformer) ?? transformer).ConfigureAwait(false);
            }
            finally
            {
                server.Release();
            }

            var serverCounters = server.State.Counters;
            var errorFeature = context.Features.Get<IForwarderErrorFeature>();
            ReportPassiveHealth(server, error, errorFeature?.Exception, retry.HeldStatus != 0 ? retry.HeldStatus : context.Response.StatusCode);
            if (error == ForwarderError.None)
            {
                serverCounters.CountResponse(context.Response.StatusCode);
                if (retry.HeldStatus == 0)
                {
                    return server;
                }
            }

            if (retry.RetriesLeft && (retry.HeldStatus != 0 || retry.IsRetryable(error, errorFeature?.Exception, context.Response.HasStarted)))
            {
                serverCounters.CountRetry();
                backendCounters.CountRetry();
                ResetForRetry(context);
                stay = !options.RedispatchesOn(attempt + 1, options.Retries);
                if (!stay)
                {
                    exclusions.Add(server);
                }

                failed = server;
                continue;
            }

            if (IsConnectFailure(error, errorFeature?.Exception) && !context.Response.HasStarted)
            {

                serverCounters.CountConnectionError();
                backendCounters.CountConnectionError();
                ResetForRetry(context);
                await ProxyResponses.WriteServiceUnavailableAsync(context).ConfigureAwait(false);
                serverCounters.CountResponse(context.Response.StatusCode);
                return server;
            }

            if (IsServerSideError(error))
            {
                serverCounters.CountResponseError();
                backendCounters.CountResponseError();
            }
            else if (error is ForwarderError.RequestBodyClient)
            {
                frontend.Counters.CountRequestError();
            }

            if (!context.Response.HasStarted)
            {
                await ProxyResponses.WriteErrorAsync(context, context.Response.StatusCode).ConfigureAwait(false);
            }

            serverCounters.CountResponse(context.Response.StatusCode);
            return server;
        }
    }

    /// <summary>
    /// Whether the forwarder failed to connect, so nothing was sent: refused/unreachable/DNS
    /// (<see cref="HttpRequestError.ConnectionError"/>, <see cref="HttpRequestError.NameResolutionError"/>) or the
    /// <c>ConnectTimeout</c> of the handler (a cancellation wrapping a <see cref="TimeoutException"/>).
    /// </summary>
    /// <param name="error">The forwarder's error.</param>
    /// <param name="exception">The exception it reported.</param>
    internal static bool IsConnectFailure(ForwarderError error, Exception? exception) => error switch
    {
        ForwarderError.Request => exception is HttpRequestException
        {
            HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
                or HttpRequestError.SecureConnectionError, // server ssl: a failed handshake is a connection failure, as HAProxy
        },
        ForwarderError.RequestTimedOut => exception is OperationCanceledException { InnerException: TimeoutException },
        _ => false,
    };

    /// <summary>Reports one attempt's outcome to the server's passive health (HAProxy <c>observe</c>).</summary>
    private static void ReportPassiveHealth(ServerRuntime server, ForwarderError error, Exception? exception, int status)
    {
        if (server.Passive is null)
        {
            return;
        }

        if (error == ForwarderError.None)
        {
            Health.PassiveHealth.ReportResponse(server, status);
        }
        else
        {
            Health.PassiveHealth.ReportForwarderError(server, error, exception, IsConnectFailure(error, exception));
        }
    }

    private static bool IsServerSideError(ForwarderError error) => error is ForwarderError.Request
        or ForwarderError.RequestTimedOut
        or ForwarderError.RequestBodyDestination
        or ForwarderError.ResponseHeaders
        or ForwarderError.ResponseBodyDestination
        or ForwarderError.UpgradeRequestDestination
        or ForwarderError.UpgradeResponseDestination;

    private static void ResetForRetry(HttpContext context)
    {
        context.Features.Set<IForwarderErrorFeature>(null);
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status200OK;
    }
}
