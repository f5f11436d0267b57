using System.Text;
using Ballast.HaproxyConfig.Units;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Export;

/// <summary>
/// Writes the frontend timeouts and header options and the server PROXY protocol options: frontend <c>timeout
/// http-request</c>, <c>timeout http-keep-alive</c>, <c>option forwardfor [except] [header]</c>; backend <c>timeout
/// tunnel</c>; server <c>send-proxy</c>/<c>send-proxy-v2</c>. Backend <c>option forwarded</c> is an HAProxy 2.8 keyword
/// that HAProxy 2.6 refuses (<c>haproxy -c</c> fails), so it is written as a comment line (<c># option forwarded
/// ...</c>) with a note: the export stays loadable by 2.6 but does not add the header there, and the importer reads
/// it back as absent (the one option lost in a round trip).
/// </summary>
internal static class ProxyHeaderExport
{
    /// <summary>Writes the frontend's options.</summary>
    /// <param name="text">The output.</param>
    /// <param name="frontend">The frontend.</param>
    /// <param name="indent">Line indent.</param>
    public static void Write(StringBuilder text, Frontend frontend, string indent)
    {
        if (frontend.TimeoutHttpRequestMs > 0)
        {
            text.Append(indent).AppendLine($"timeout http-request {TimeParser.Format(frontend.TimeoutHttpRequestMs)}");
        }

        if (frontend.TimeoutHttpKeepAliveMs > 0)
        {
            text.Append(indent).AppendLine($"timeout http-keep-alive {TimeParser.Format(frontend.TimeoutHttpKeepAliveMs)}");
        }

        if (frontend.Forwardfor)
        {
            text.Append(indent).AppendLine(ForwardforLine(frontend.ForwardforExcept, frontend.ForwardforHeader));
        }
    }

    /// <summary>Writes the backend's options.</summary>
    /// <param name="text">The output.</param>
    /// <param name="backend">The backend.</param>
    /// <param name="indent">Line indent.</param>
    public static void Write(StringBuilder text, Backend backend, string indent)
    {
        if (backend.TimeoutTunnelMs > 0)
        {
            text.Append(indent).AppendLine($"timeout tunnel {TimeParser.Format(backend.TimeoutTunnelMs)}");
        }

        if (backend.Forwarded is { } forwarded)
        {
            text.Append(indent).AppendLine("# Ballast has 'option forwarded' (HAProxy 2.8, RFC 7239 Forwarded header); HAProxy 2.6 refuses it, so it is commented out:");
            text.Append(indent).AppendLine($"# {ForwardedLine(forwarded)}");
        }
    }

    /// <summary>The <c>option forwarded</c> line of <paramref name="forwarded"/> (HAProxy 2.8 syntax).</summary>
    /// <param name="forwarded">The option.</param>
    public static string ForwardedLine(ForwardedOption forwarded)
    {
        var words = new List<string> { "option forwarded" };
        if (forwarded.Proto)
        {
            words.Add("proto");
        }

        if (forwarded.Host)
        {
            words.Add("host");
        }

        if (forwarded.By)
        {
            words.AddRange(["by", "by_port"]);
        }

        if (forwarded.For || (!forwarded.Proto && !forwarded.Host && !forwarded.By))
        {
            words.AddRange(["for", "for_port"]);
        }

        return string.Join(' ', words);
    }

    /// <summary>Adds <c>send-proxy</c> or <c>send-proxy-v2</c> to a <c>server</c> line.</summary>
    /// <param name="words">The words.</param>
    /// <param name="server">The server.</param>
    public static void AddServerOptions(List<string> words, Server server)
    {
        switch (server.SendProxy)
        {
            case ProxyProtocolVersion.ProxyProtocolV1:
                words.Add("send-proxy");
                break;
            case ProxyProtocolVersion.ProxyProtocolV2:
                words.Add("send-proxy-v2");
                break;
        }
    }

    private static string ForwardforLine(string except, string header)
    {
        var line = new StringBuilder("option forwardfor");
        if (except.Length > 0)
        {
            line.Append(" except ").Append(except);
        }

        if (header.Length > 0)
        {
            line.Append(" header ").Append(HaproxyQuoting.Quote(header));
        }

        return line.ToString();
    }
}
