namespace Ballast.ControlPlane.Declarative;

/// <summary>
/// One difference between the working configuration before and after an apply or import:
/// <c>{"op":"change","object":"backend 'app' server 's1'","field":"weight","from":"1","to":"5"}</c>.
/// </summary>
/// <param name="Op"><c>add</c>, <c>remove</c> or <c>change</c>.</param>
/// <param name="Object">The object, named as in validation errors (<c>frontend 'web'</c>, <c>backend 'app' server 's1'</c>).</param>
/// <param name="Field">For <c>change</c>: the field in admin API terms (<c>weight</c>, <c>healthCheck.interMs</c>); null otherwise.</param>
/// <param name="From">For <c>change</c>: the old value as text (arrays as JSON); null otherwise.</param>
/// <param name="To">For <c>change</c>: the new value as text (arrays as JSON); null otherwise.</param>
public sealed record ConfigChange(string Op, string Object, string? Field = null, string? From = null, string? To = null)
{
    /// <summary>The <c>add</c> operation.</summary>
    public const string Add = "add";

    /// <summary>The <c>remove</c> operation.</summary>
    public const string Remove = "remove";

    /// <summary>The <c>change</c> operation.</summary>
    public const string Change = "change";
}
