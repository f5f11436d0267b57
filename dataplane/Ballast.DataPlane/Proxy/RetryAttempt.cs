using System.Net.Http;
using Ballast.DataPlane.Config;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Ballast.DataPlane.Proxy;

/// <summary>
/// Per-request retry state of HAProxy <c>retries</c> / <c>retry-on</c> / <c>option redispatch</c> in mode http:
/// which failure an attempt met, whether it may be retried, and whether the retry goes to another server. A connection
/// failure (nothing reached the server) may be retried for every method; the other <c>retry-on</c> reasons
/// (<c>empty-response</c>, <c>response-timeout</c>, status codes) only for idempotent methods without a request body
/// (HAProxy retries only requests it still holds in its buffer; Ballast streams bodies, so a body is never replayed).
/// Set as a request feature so the backend's transformer can hold back a response whose status is to be retried.
/// </summary>
internal sealed class RetryAttempt
{
    private readonly BackendOptions _options;

    private RetryAttempt(BackendOptions options, bool replayable)
    {
        _options = options;
        Replayable = replayable;
    }

    /// <summary>Whether the request can be sent again after it reached a server (idempotent, no body).</summary>
    public bool Replayable { get; }

    /// <summary>Whether the current attempt may still be followed by a retry (set before each attempt).</summary>
    public bool RetriesLeft { get; set; }

    /// <summary>The <c>retry-on &lt;status&gt;</c> code the transformer held back on this attempt; 0 = none.</summary>
    public int HeldStatus { get; set; }

    /// <summary>Whether a response with <paramref name="status"/> is held back and retried instead of sent.</summary>
    /// <param name="status">The server's response status.</param>
    public bool ShouldRetryStatus(int status) =>
        RetriesLeft && Replayable && (_options.RetryOn & RetryOn.Status) != 0 && _options.RetryStatuses.Contains(status);

    /// <summary>Creates the state of a request and registers it as a request feature.</summary>
    /// <param name="context">The request.</param>
    /// <param name="options">The backend's options.</param>
    public static RetryAttempt Start(HttpContext context, BackendOptions options)
    {
        var replayable = RetryOnParser.IsIdempotent(context.Request.Method)
            && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != true;
        var attempt = new RetryAttempt(options, replayable);
        context.Features.Set(attempt);
        return attempt;
    }

    /// <summary>
    /// Whether an attempt that ended with <paramref name="error"/> is retried under <c>retry-on</c> (attempts left is
    /// checked by the caller).
    /// </summary>
    /// <param name="error">The forwarder's error.</param>
    /// <param name="exception">The exception it reported.</param>
    /// <param name="responseStarted">Whether bytes already went to the client (then nothing is retried).</param>
    public bool IsRetryable(ForwarderError error, Exception? exception, bool responseStarted)
    {
        if (responseStarted)
        {
            return false;
        }

        var reason = Classify(error, exception);
        if ((_options.RetryOn & reason) == 0)
        {
            return false;
        }

        return reason == RetryOn.ConnectionFailure || (reason != RetryOn.None && Replayable);
    }

    /// <summary>Which <c>retry-on</c> reason a forwarder error is: conn-failure, empty-response, response-timeout, or none.</summary>
    /// <param name="error">The forwarder's error.</param>
    /// <param name="exception">The exception it reported.</param>
    internal static RetryOn Classify(ForwarderError error, Exception? exception)
    {
        if (ProxyRequestHandler.IsConnectFailure(error, exception))
        {
            return RetryOn.ConnectionFailure;
        }

        return error switch
        {
            ForwarderError.RequestTimedOut => RetryOn.ResponseTimeout,
            ForwarderError.Request or ForwarderError.ResponseHeaders when IsEmptyResponse(exception) => RetryOn.EmptyResponse,
            _ => RetryOn.None,
        };
    }

    private static bool IsEmptyResponse(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse })
            {
                return true;
            }
        }

        return false;
    }
}
