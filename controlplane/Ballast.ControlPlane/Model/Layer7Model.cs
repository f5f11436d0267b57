using System.Text.Json.Serialization;

namespace Ballast.ControlPlane.Model;

/// <summary>
/// A HAProxy <c>use_backend &lt;backend&gt; [if|unless &lt;condition&gt;]</c> rule of a frontend, e.g.
/// <c>{"backend":"api","if":"is_api !is_admin or host_www"}</c>. Neither <c>if</c> nor <c>unless</c> = always.
/// </summary>
public sealed record UseBackendSpec
{
    /// <summary>The backend to use; must exist and have the frontend's mode.</summary>
    public string Backend { get; init; } = string.Empty;

    /// <summary>The condition after <c>if</c> in HAProxy's text: ACL names, <c>!</c>, <c>or</c>/<c>||</c>, <c>{ anonymous ACL }</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? If { get; init; }

    /// <summary>The condition after <c>unless</c> (instead of <c>if</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Unless { get; init; }
}
