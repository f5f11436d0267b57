using Ballast.HaproxyConfig.Syntax;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// The PROXY protocol options of a <c>server</c>/<c>default-server</c> line (manual, section 5.2): <c>send-proxy</c>
/// (v1) and <c>send-proxy-v2</c> map to the server's <c>send_proxy</c>; <c>no-send-proxy</c> and
/// <c>no-send-proxy-v2</c> cancel an inherited one (either cancels whichever version was inherited, a simplification:
/// HAProxy cancels only its own version). <c>send-proxy-v2-ssl[-cn]</c> and <c>proxy-v2-options</c> (TLVs) are not
/// in the model and stay reported as unsupported.
/// </summary>
internal static class ServerProxyProtocolOptions
{
    /// <summary>Whether <paramref name="keyword"/> is handled here.</summary>
    public static bool Handles(string keyword) => keyword is "send-proxy" or "send-proxy-v2" or "no-send-proxy" or "no-send-proxy-v2";

    /// <summary>Reads the option at word <paramref name="index"/> (all are flags).</summary>
    public static ServerOptions Read(ConfigStatement statement, int index, ServerOptions options)
    {
        var version = statement[index] switch
        {
            "send-proxy" => ProxyProtocolVersion.ProxyProtocolV1,
            "send-proxy-v2" => ProxyProtocolVersion.ProxyProtocolV2,
            _ => ProxyProtocolVersion.ProxyProtocolNone,
        };
        return options with { SendProxy = new(version, statement.Line, statement.ColumnOf(index)) };
    }

    /// <summary>Sets the effective version on the model's server.</summary>
    public static void Apply(ServerOptions options, Server model) =>
        model.SendProxy = options.SendProxy?.Value ?? ProxyProtocolVersion.ProxyProtocolNone;
}
