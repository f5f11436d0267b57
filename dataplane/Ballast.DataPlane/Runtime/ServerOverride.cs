using Ballast.DataPlane.Config;

namespace Ballast.DataPlane.Runtime;

/// <summary>
/// A runtime override of one server, as HAProxy's runtime API <c>set server &lt;b&gt;/&lt;s&gt; state
/// ready|drain|maint</c> and <c>set server &lt;b&gt;/&lt;s&gt; weight &lt;n&gt;</c>; a null member keeps the configured value.
/// </summary>
/// <param name="Admin">Administrative state, or null.</param>
/// <param name="Weight">Weight 0-256, or null.</param>
internal sealed record ServerOverride(AdminState? Admin, int? Weight);
