namespace Ballast.DataPlane.Health;

/// <summary>Result codes of a health check, as HAProxy's stats field <c>check_status</c> (management.txt 9.1).</summary>
internal enum CheckStatus
{
    /// <summary><c>UNK</c>: unknown.</summary>
    Unknown,

    /// <summary><c>INI</c>: initializing, no check has completed yet.</summary>
    Initializing,

    /// <summary><c>SOCKERR</c>: socket error.</summary>
    SocketError,

    /// <summary><c>L4OK</c>: check passed on layer 4 (TCP connect).</summary>
    L4Ok,

    /// <summary><c>L4TOUT</c>: layer 1-4 timeout.</summary>
    L4Timeout,

    /// <summary><c>L4CON</c>: layer 1-4 connection problem (refused, unreachable).</summary>
    L4Connection,

    /// <summary><c>L7OK</c>: check passed on layer 7.</summary>
    L7Ok,

    /// <summary><c>L7TOUT</c>: layer 7 (HTTP) timeout.</summary>
    L7Timeout,

    /// <summary><c>L7RSP</c>: layer 7 invalid response (protocol error).</summary>
    L7Response,

    /// <summary><c>L7STS</c>: layer 7 response error, e.g. HTTP 5xx.</summary>
    L7Status,

    /// <summary>
    /// <c>HANA</c>: passive health (<c>observe</c>) saw <c>error-limit</c> consecutive errors and its <c>on-error</c>
    /// action counted as a failed check (HAProxy <c>HCHK_STATUS_HANA</c>, "Health analyze").
    /// </summary>
    HealthAnalyze,
}

/// <summary>HAProxy spellings of <see cref="CheckStatus"/>.</summary>
internal static class CheckStatusNames
{
    /// <summary>The HAProxy <c>check_status</c> text of <paramref name="status"/>.</summary>
    /// <param name="status">The status.</param>
    public static string ToHaproxyName(this CheckStatus status) => status switch
    {
        CheckStatus.Initializing => "INI",
        CheckStatus.SocketError => "SOCKERR",
        CheckStatus.L4Ok => "L4OK",
        CheckStatus.L4Timeout => "L4TOUT",
        CheckStatus.L4Connection => "L4CON",
        CheckStatus.L7Ok => "L7OK",
        CheckStatus.L7Timeout => "L7TOUT",
        CheckStatus.L7Response => "L7RSP",
        CheckStatus.L7Status => "L7STS",
        CheckStatus.HealthAnalyze => "HANA",
        _ => "UNK",
    };

    /// <summary>Whether <paramref name="status"/> counts as a passed check.</summary>
    /// <param name="status">The status.</param>
    public static bool IsSuccess(this CheckStatus status) => status is CheckStatus.L4Ok or CheckStatus.L7Ok;
}
