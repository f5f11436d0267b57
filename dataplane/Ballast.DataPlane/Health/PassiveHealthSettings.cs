using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Health;

/// <summary>
/// Passive health of one server, as HAProxy server <c>observe layer4|layer7</c>, <c>error-limit &lt;n&gt;</c> and
/// <c>on-error fastinter|fail-check|sudden-death|mark-down</c>. Like HAProxy (<c>health_adjust</c> returns early
/// without a running check), observation only has an effect on a server with <c>check</c>.
/// </summary>
/// <param name="Observe">What counts: connections (<c>layer4</c>) or also HTTP responses (<c>layer7</c>).</param>
/// <param name="ErrorLimit">Consecutive errors that trigger <paramref name="OnError"/> (HAProxy default 10).</param>
/// <param name="OnError">What reaching the limit does.</param>
internal sealed record PassiveHealthSettings(V1.Observe Observe, int ErrorLimit, V1.OnError OnError)
{
    /// <summary>HAProxy's default <c>error-limit</c> (<c>DEF_HANA_ERRLIMIT</c>).</summary>
    public const int DefaultErrorLimit = 10;

    /// <summary>The settings of <paramref name="server"/>, or null when it has no <c>observe</c>.</summary>
    /// <param name="server">The server message.</param>
    public static PassiveHealthSettings? From(V1.Server server) => server.Observe == V1.Observe.None
        ? null
        : new PassiveHealthSettings(
            server.Observe,
            server.ErrorLimit == 0 ? DefaultErrorLimit : (int)Math.Min(server.ErrorLimit, int.MaxValue),
            server.OnError);
}
