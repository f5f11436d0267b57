using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Rules;

/// <summary>A backend's HAProxy <c>cookie &lt;name&gt; insert|rewrite|prefix [indirect] [nocache] [httponly] [secure]</c>.</summary>
/// <param name="Name">Cookie name.</param>
/// <param name="Mode">insert, rewrite or prefix.</param>
/// <param name="Indirect"><c>indirect</c>.</param>
/// <param name="NoCache"><c>nocache</c>.</param>
/// <param name="HttpOnly"><c>httponly</c>.</param>
/// <param name="Secure"><c>secure</c>.</param>
internal sealed record CookieSettings(string Name, V1.CookieMode Mode, bool Indirect, bool NoCache, bool HttpOnly, bool Secure);
