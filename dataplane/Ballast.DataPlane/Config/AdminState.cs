namespace Ballast.DataPlane.Config;

/// <summary>Administrative state of a server, as HAProxy <c>set server &lt;b&gt;/&lt;s&gt; state ready|drain|maint</c>.</summary>
internal enum AdminState
{
    /// <summary>Takes new traffic.</summary>
    Ready,

    /// <summary>Takes no new balanced requests; in-flight requests finish.</summary>
    Drain,

    /// <summary>Takes no traffic and is not health checked.</summary>
    Maint,
}
