namespace Ballast.DataPlane.Health;

/// <summary>
/// What the request path observed on a server, as HAProxy's <c>HANA_STATUS_*</c> codes given to
/// <c>health_adjust</c>. Whether each one is an error, a success or ignored depends on the <c>observe</c> mode
/// (<see cref="PassiveHealthEvents.Classify"/>).
/// </summary>
internal enum PassiveHealthEvent
{
    /// <summary><c>HANA_STATUS_L4_OK</c>: a connection to the server was established.</summary>
    L4Ok,

    /// <summary><c>HANA_STATUS_L4_ERR</c>: connecting to the server failed (refused, unreachable, timeout).</summary>
    L4Error,

    /// <summary><c>HANA_STATUS_HTTP_OK</c>: a valid HTTP status (100-499, 501, 505).</summary>
    HttpOk,

    /// <summary><c>HANA_STATUS_HTTP_STS</c>: a wrong HTTP status (5xx other than 501 and 505).</summary>
    HttpStatus,

    /// <summary><c>HANA_STATUS_HTTP_RSP</c>/<c>HTTP_HDRRSP</c>: the server sent an invalid response.</summary>
    HttpInvalidResponse,

    /// <summary><c>HANA_STATUS_HTTP_READ_TIMEOUT</c>: <c>timeout server</c> expired waiting for the response.</summary>
    HttpReadTimeout,

    /// <summary><c>HANA_STATUS_HTTP_READ_ERROR</c>: reading the response failed.</summary>
    HttpReadError,

    /// <summary><c>HANA_STATUS_HTTP_BROKEN_PIPE</c>: the server closed the connection before a response.</summary>
    HttpBrokenPipe,
}

/// <summary>How an observation counts, per <c>observe</c> mode (HAProxy's <c>analyze_statuses</c> table).</summary>
internal enum PassiveHealthVerdict
{
    /// <summary>Not significant in this mode.</summary>
    Ignore,

    /// <summary>An error: counts toward <c>error-limit</c>.</summary>
    Error,

    /// <summary>A success: clears the consecutive error count.</summary>
    Success,
}

/// <summary>Classification of <see cref="PassiveHealthEvent"/>s.</summary>
internal static class PassiveHealthEvents
{
    /// <summary>
    /// How <paramref name="observation"/> counts under <paramref name="observe"/>, as HAProxy's table: in
    /// <c>layer4</c> only connections matter (established = success, failed = error); in <c>layer7</c> a failed
    /// connection and every HTTP failure are errors, a valid status is a success, an established connection is ignored.
    /// </summary>
    /// <param name="observe">The server's mode.</param>
    /// <param name="observation">What happened.</param>
    public static PassiveHealthVerdict Classify(Proto.V1.Observe observe, PassiveHealthEvent observation) => observe switch
    {
        Proto.V1.Observe.Layer4 => observation switch
        {
            PassiveHealthEvent.L4Ok => PassiveHealthVerdict.Success,
            PassiveHealthEvent.L4Error => PassiveHealthVerdict.Error,
            _ => PassiveHealthVerdict.Ignore,
        },
        Proto.V1.Observe.Layer7 => observation switch
        {
            PassiveHealthEvent.L4Ok => PassiveHealthVerdict.Ignore,
            PassiveHealthEvent.HttpOk => PassiveHealthVerdict.Success,
            _ => PassiveHealthVerdict.Error,
        },
        _ => PassiveHealthVerdict.Ignore,
    };

    /// <summary>
    /// The observation of an HTTP response status: 100-499, 501 and 505 are valid (501 and 505 answer what the client
    /// asked for, so HAProxy does not hold them against the server), anything else is a wrong status.
    /// </summary>
    /// <param name="status">The server's status code.</param>
    public static PassiveHealthEvent ForStatus(int status) =>
        status >= 100 && (status < 500 || status == 501 || status == 505) ? PassiveHealthEvent.HttpOk : PassiveHealthEvent.HttpStatus;

    /// <summary>HAProxy's description of an observation, used in the check detail ("last one was: ...").</summary>
    /// <param name="observation">The observation.</param>
    public static string Describe(PassiveHealthEvent observation) => observation switch
    {
        PassiveHealthEvent.L4Ok => "L4 successful connection",
        PassiveHealthEvent.L4Error => "L4 unsuccessful connection",
        PassiveHealthEvent.HttpOk => "Correct http response",
        PassiveHealthEvent.HttpStatus => "Wrong http response",
        PassiveHealthEvent.HttpInvalidResponse => "Invalid http response",
        PassiveHealthEvent.HttpReadTimeout => "Read timeout (http)",
        PassiveHealthEvent.HttpReadError => "Read error (http)",
        _ => "Close from server (http)",
    };
}
