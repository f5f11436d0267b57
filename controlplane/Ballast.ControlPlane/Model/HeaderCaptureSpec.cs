namespace Ballast.ControlPlane.Model;

/// <summary>
/// One HAProxy <c>capture request|response header &lt;name&gt; len &lt;len&gt;</c> line of a frontend, e.g.
/// <c>{"name":"Host","len":32}</c>.
/// </summary>
public sealed record HeaderCaptureSpec
{
    /// <summary>Header name (case-insensitive), an HTTP token of 1-64 characters.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Longest value kept, in characters (longer values are truncated): 1-1024.</summary>
    public uint Len { get; init; }
}
