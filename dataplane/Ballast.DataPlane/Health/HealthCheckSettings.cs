using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Health;

/// <summary>Kind of active check, as HAProxy <c>check</c> (TCP connect) or <c>option httpchk</c> (HTTP).</summary>
internal enum HealthCheckKind
{
    /// <summary>Layer-4 check: a TCP connect, as HAProxy <c>check</c> without <c>option httpchk</c>.</summary>
    Tcp,

    /// <summary>Layer-7 check: an HTTP request, as <c>option httpchk</c>.</summary>
    Http,
}

/// <summary>
/// Effective health-check settings of a server, with HAProxy defaults filled in (<c>inter 2000</c>, <c>rise 2</c>,
/// <c>fall 3</c>, <c>timeout check</c> = <c>inter</c>, <c>option httpchk</c> = <c>OPTIONS /</c>, any 2xx/3xx expected).
/// </summary>
/// <param name="Kind">TCP or HTTP.</param>
/// <param name="HttpMethod">HTTP method of the check request.</param>
/// <param name="HttpPath">Path of the check request.</param>
/// <param name="ExpectStatus">Expected HTTP status; 0 accepts any 2xx or 3xx.</param>
/// <param name="Inter">Interval between checks.</param>
/// <param name="Timeout">Time allowed for one check (connect and response).</param>
/// <param name="Rise">Consecutive successes that mark a DOWN server UP.</param>
/// <param name="Fall">Consecutive failures that mark an UP server DOWN.</param>
internal sealed partial record HealthCheckSettings(
    HealthCheckKind Kind,
    string HttpMethod,
    string HttpPath,
    int ExpectStatus,
    TimeSpan Inter,
    TimeSpan Timeout,
    int Rise,
    int Fall)
{
    /// <summary>Whether <paramref name="statusCode"/> passes the check, as <c>http-check expect status</c>.</summary>
    /// <param name="statusCode">The response status code.</param>
    public bool IsExpected(int statusCode) => Expect switch
    {
        V1.HttpCheckExpect.Status => HttpCheckExpectations.StatusMatches(ExpectValue, statusCode),
        V1.HttpCheckExpect.Rstatus => HttpCheckExpectations.RegexMatches(ExpectValue, statusCode),
        V1.HttpCheckExpect.String => statusCode is >= 100 and <= 599,
        _ => ExpectStatus == 0 ? statusCode is >= 200 and < 400 : statusCode == ExpectStatus,
    };
}
