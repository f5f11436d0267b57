using System.Net.Http;
using Ballast.DataPlane.Config;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Ballast.DataPlane.Proxy;

/// <summary>
/// The request/response transform of one backend in mode http. Headers are copied unchanged (Host kept, as HAProxy),
/// then: the backend's <c>timeout connect</c> is attached to the outgoing request for
/// <see cref="BackendConnector"/>; with <c>option forwardfor</c>, <c>X-Forwarded-For</c> (or the configured header)
/// gets the client address appended after any value the client sent (sent as one comma-separated line, equivalent
/// under RFC 9110 to HAProxy's extra header line), unless the client is in the <c>except</c> network; a response whose
/// status is in <c>retry-on</c> is held back (its body is not copied) when the request will be retried.
/// </summary>
internal sealed class BackendTransformer : HttpTransformer
{
    private readonly BackendOptions _options;
    private readonly TimeSpan _connectTimeout;
    private readonly ForwardFor? _frontendForwardFor;

    /// <summary>Creates the transformer of a backend.</summary>
    /// <param name="options">The backend's options.</param>
    /// <param name="connectTimeout">The backend's <c>timeout connect</c>.</param>
    /// <param name="frontendForwardFor">The frontend's <c>option forwardfor</c> (see <see cref="ForwardedHeaders"/>), or null.</param>
    public BackendTransformer(BackendOptions options, TimeSpan connectTimeout, ForwardFor? frontendForwardFor = null)
    {
        _options = options;
        _connectTimeout = connectTimeout;
        _frontendForwardFor = frontendForwardFor;
    }

    /// <inheritdoc />
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        httpContext.Features.Get<Logging.StreamLog>()?.MarkSend(); // start of Tc (stats timers, access log)
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        proxyRequest.Options.Set(BackendConnector.ConnectTimeoutOption, _connectTimeout);
        if (_options.ForwardFor is not null || _frontendForwardFor is not null || _options.Forwarded is not null)
        {
            ForwardedHeaders.Apply(httpContext, proxyRequest, _frontendForwardFor, _options); // option forwardfor / forwarded
        }
    }

    /// <inheritdoc />
    public override ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        httpContext.Features.Get<Logging.StreamLog>()?.MarkHeaders(proxyResponse); // end of Tr
        if (proxyResponse is not null
            && httpContext.Features.Get<RetryAttempt>() is { } attempt
            && attempt.ShouldRetryStatus((int)proxyResponse.StatusCode))
        {
            attempt.HeldStatus = (int)proxyResponse.StatusCode;
            return ValueTask.FromResult(false);
        }

        return base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
    }
}
