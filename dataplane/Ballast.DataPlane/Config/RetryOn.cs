using System.Collections.Immutable;

namespace Ballast.DataPlane.Config;

/// <summary>The failures HAProxy <c>retry-on</c> retries (configuration.txt, <c>retry-on</c>).</summary>
[Flags]
internal enum RetryOn
{
    /// <summary><c>none</c>: never retry.</summary>
    None = 0,

    /// <summary><c>conn-failure</c>: the connection to the server failed (the default).</summary>
    ConnectionFailure = 1,

    /// <summary><c>empty-response</c>: the server closed the connection without a response.</summary>
    EmptyResponse = 2,

    /// <summary><c>response-timeout</c>: <c>timeout server</c> expired before the response.</summary>
    ResponseTimeout = 4,

    /// <summary>One of the <c>retry-on &lt;status&gt;</c> codes was answered.</summary>
    Status = 8,
}

/// <summary>Parses HAProxy <c>retry-on</c> keywords.</summary>
internal static class RetryOnParser
{
    /// <summary>The status codes HAProxy 2.6 accepts in <c>retry-on</c>.</summary>
    public static readonly ImmutableArray<int> AllowedStatuses = [401, 403, 404, 408, 425, 500, 501, 502, 503, 504];

    /// <summary>
    /// Whether HAProxy retries <paramref name="method"/> for anything but a connection failure: the idempotent methods
    /// GET, HEAD, OPTIONS, PUT, DELETE and TRACE (configuration.txt <c>retry-on</c>, RFC 7231 4.2.2).
    /// </summary>
    /// <param name="method">The request method.</param>
    public static bool IsIdempotent(string method) => method is "GET" or "HEAD" or "OPTIONS" or "PUT" or "DELETE" or "TRACE";

    /// <summary>
    /// Parses the keywords; empty means <c>conn-failure</c>. <c>all-retryable-errors</c> is conn-failure,
    /// empty-response, junk-response (not distinguished here: an invalid response is an empty one for YARP),
    /// response-timeout, 0rtt-rejected (no TLS to servers) and 500 502 503 504.
    /// </summary>
    /// <param name="keywords">The keywords.</param>
    /// <param name="error">The first unknown keyword, or null.</param>
    /// <returns>The flags and status codes.</returns>
    public static (RetryOn Flags, ImmutableArray<int> Statuses) Parse(IEnumerable<string> keywords, out string? error)
    {
        error = null;
        var flags = RetryOn.None;
        var any = false;
        var statuses = ImmutableArray.CreateBuilder<int>();
        foreach (var keyword in keywords)
        {
            any = true;
            switch (keyword)
            {
                case "none":
                    break;
                case "conn-failure":
                    flags |= RetryOn.ConnectionFailure;
                    break;
                case "empty-response":
                case "junk-response":
                    flags |= RetryOn.EmptyResponse;
                    break;
                case "response-timeout":
                    flags |= RetryOn.ResponseTimeout;
                    break;
                case "0rtt-rejected":
                    break;
                case "all-retryable-errors":
                    flags |= RetryOn.ConnectionFailure | RetryOn.EmptyResponse | RetryOn.ResponseTimeout | RetryOn.Status;
                    statuses.AddRange(500, 502, 503, 504);
                    break;
                default:
                    if (int.TryParse(keyword, out var status) && AllowedStatuses.Contains(status))
                    {
                        flags |= RetryOn.Status;
                        statuses.Add(status);
                    }
                    else
                    {
                        error ??= keyword;
                    }

                    break;
            }
        }

        return (any ? flags : RetryOn.ConnectionFailure, statuses.ToImmutable());
    }
}
