using Ballast.HaproxyConfig.Syntax;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// Import of the frontend timeouts and header options added with the PROXY protocol work: <c>timeout http-request</c>
/// and <c>timeout http-keep-alive</c> (frontend), <c>option forwardfor</c> written in a <c>frontend</c> section (or
/// inherited by one from <c>defaults</c>; a <c>listen</c> section's goes to its backend half, which gives the same
/// header), and HAProxy 2.8's <c>option forwarded [proto] [host] [by] [by_port] [for] [for_port]</c> (backend; Ballast's
/// <c>by</c>/<c>for</c> always carry the port, so <c>by_port</c>/<c>for_port</c> are accepted as implied; the
/// <c>*-expr</c> forms are not in the model and the line is then reported and not imported).
/// </summary>
internal static class ProxyHeaderImport
{
    private static readonly string[] ForwardedWords = ["proto", "host", "by", "by_port", "for", "for_port"];

    /// <summary>Maps <c>option forwarded ...</c> into <paramref name="traffic"/>; false when the line was reported instead.</summary>
    public static bool TryMapForwarded(ProxyDraft draft, ConfigStatement statement, ref TrafficSettings traffic)
    {
        var option = new ForwardedOption();
        for (var i = 2; i < statement.Count; i++)
        {
            var word = statement[i];
            if (word.EndsWith("-expr", StringComparison.Ordinal))
            {
                draft.Scope.Report(statement, i, $"option forwarded {word}", FindingSeverity.Unsupported,
                    $"unsupported: '{word}' (a sample expression) is not in the Ballast model; the line is not imported");
                return false;
            }

            if (!ForwardedWords.Contains(word))
            {
                draft.Scope.Error(statement, i, $"'option forwarded' does not accept '{word}' (expected proto, host, by, by_port, for or for_port)");
                return false;
            }

            option.Proto |= word == "proto";
            option.Host |= word == "host";
            option.By |= word is "by" or "by_port";
            option.For |= word is "for" or "for_port";
        }

        traffic = traffic with { Forwarded = new(option, statement.Line, statement.ColumnOf(1)) };
        return true;
    }

    /// <summary>Sets the frontend fields of <paramref name="traffic"/> on <paramref name="frontend"/>.</summary>
    public static void ApplyFrontend(TrafficSettings traffic, Frontend frontend, ProxyKind kind)
    {
        frontend.TimeoutHttpRequestMs = traffic.TimeoutHttpRequestMs?.Value ?? 0;
        frontend.TimeoutHttpKeepAliveMs = traffic.TimeoutHttpKeepAliveMs?.Value ?? 0;
        if (kind == ProxyKind.Frontend && traffic.Forwardfor?.Value is { } forwardfor)
        {
            frontend.Forwardfor = true;
            frontend.ForwardforExcept = forwardfor.Except;
            frontend.ForwardforHeader = forwardfor.Header;
        }
    }

    /// <summary>Sets the backend fields <c>timeout tunnel</c> and <c>option forwarded</c> on <paramref name="backend"/>.</summary>
    public static void ApplyBackend(TrafficSettings traffic, Backend backend)
    {
        backend.TimeoutTunnelMs = traffic.TimeoutTunnelMs?.Value ?? 0;
        if (traffic.Forwarded?.Value is { } forwarded)
        {
            backend.Forwarded = forwarded.Clone();
        }
    }
}
