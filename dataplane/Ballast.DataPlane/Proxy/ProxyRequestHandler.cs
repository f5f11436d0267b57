using System.Net;
using System.Net.Http;
using Ballast.DataPlane.Config;
using Ballast.DataPlane.LoadBalancing;
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
/// Retries follow HAProxy <c>retries 3</c> with <c>option redispatch 1</c>: when the connection to a server fails
/// before anything was sent (refused, unreachable, connect timeout), the request is retried up to 3 times, each
/// time on another server when one is available (same server otherwise). Nothing reached the server, so this is
/// safe for every method. Each retry counts <c>wretr</c> on the server and its backend; a retry that moves to
/// another server also counts <c>wredis</c> there. When attempts run out, <c>econ</c> is counted and the client
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

    /// <summary>Disposes the shared client.</summary>
    public void Dispose() => _invoker.Dispose();

    /// <summary>Creates the shared client: pooled connections, no proxy, redirects, decompression or cookies.</summary>
    /// <param name="connectTimeout">Connect timeout, as HAProxy <c>timeout connect</c>.</param>
    public static HttpMessageInvoker CreateInvoker(TimeSpan connectTimeout) => new(
        new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = null,
            ConnectTimeout = connectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            EnableMultipleHttp2Connections = true,
        },
        disposeHandler: true);

    /// <summary>Handles a request that arrived on a bind of <paramref name="frontend"/>.</summary>
    /// <param name="context">The request.</param>
    /// <param name="frontend">The frontend owning the bind.</param>
    public async Task HandleAsync(HttpContext context, FrontendRuntime frontend)
    {
        var frontendCounters = frontend.Counters;
        frontendCounters.CountRequest();
        var backend = frontend.DefaultBackend;
        ServerRuntime? server = null;
        if (backend is null)
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
                server = await ForwardAsync(context, frontend, backend).ConfigureAwait(false);
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
        }
    }

    private async Task<ServerRuntime?> ForwardAsync(HttpContext context, FrontendRuntime frontend, BackendRuntime backend)
    {
        var backendCounters = backend.State.Counters;
        var input = new BalanceInput(
            context.Connection.RemoteIpAddress,
            context.Features.Get<IHttpRequestFeature>()?.RawTarget,
            context.Request.Headers);
        var exclusions = default(ServerExclusions);
        ServerRuntime? failed = null;
        for (var attempt = 0; ; attempt++)
        {
            var server = backend.Balancer.Pick(input, exclusions);
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

            ForwarderError error;
            try
            {
                error = await _forwarder.SendAsync(context, server.DestinationPrefix, _invoker, backend.ForwarderConfig, HttpTransformer.Empty).ConfigureAwait(false);
            }
            finally
            {
                server.Release();
            }

            var serverCounters = server.State.Counters;
            if (error == ForwarderError.None)
            {
                serverCounters.CountResponse(context.Response.StatusCode);
                return server;
            }

            var errorFeature = context.Features.Get<IForwarderErrorFeature>();
            if (IsConnectFailure(error, errorFeature?.Exception) && !context.Response.HasStarted)
            {
                if (attempt < HaproxyDefaults.Retries)
                {
                    serverCounters.CountRetry();
                    backendCounters.CountRetry();
                    ResetForRetry(context);
                    exclusions.Add(server);
                    failed = server;
                    continue;
                }

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
            HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError,
        },
        ForwarderError.RequestTimedOut => exception is OperationCanceledException { InnerException: TimeoutException },
        _ => false,
    };

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
