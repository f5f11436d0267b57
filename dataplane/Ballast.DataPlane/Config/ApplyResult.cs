namespace Ballast.DataPlane.Config;

/// <summary>Outcome of applying a snapshot: ACK when <see cref="Applied"/>, NACK with <see cref="Error"/> otherwise.</summary>
/// <param name="Applied">Whether the snapshot is now being served.</param>
/// <param name="Error">Why it was rejected (the NACK's <c>error_detail</c>); null when applied.</param>
internal sealed record ApplyResult(bool Applied, string? Error)
{
    /// <summary>The snapshot was applied.</summary>
    public static readonly ApplyResult Ok = new(true, null);

    /// <summary>The snapshot was rejected.</summary>
    /// <param name="error">Why.</param>
    public static ApplyResult Rejected(string error) => new(false, error);
}
