namespace Ballast.DataPlane.Health;

/// <summary>The outcome of one health check.</summary>
/// <param name="Status">HAProxy check status code.</param>
/// <param name="Code">HTTP status of an HTTP check's response; 0 when none was read.</param>
/// <param name="Duration">Time the check took (HAProxy <c>check_duration</c>).</param>
/// <param name="Detail">Human-readable detail, e.g. the socket error; null when none.</param>
internal readonly record struct CheckResult(CheckStatus Status, int Code, TimeSpan Duration, string? Detail = null)
{
    /// <summary>Whether the check passed.</summary>
    public bool IsSuccess => Status.IsSuccess();
}
