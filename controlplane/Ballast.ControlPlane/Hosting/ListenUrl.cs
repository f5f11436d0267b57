using System.Net;

namespace Ballast.ControlPlane.Hosting;

/// <summary>A parsed <c>http://host:port</c> listen address.</summary>
/// <param name="Host">Host as given: an IP literal, <c>localhost</c>, <c>*</c> or <c>+</c>.</param>
/// <param name="Port">Port; 0 picks a free one.</param>
internal sealed record ListenUrl(string Host, int Port)
{
    /// <summary>Parses a ';'-separated list of URLs.</summary>
    /// <exception cref="FormatException">A URL is not <c>http://host:port</c>.</exception>
    public static IReadOnlyList<ListenUrl> ParseList(string urls, string option)
    {
        var parsed = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => Parse(u, option)).ToArray();
        return parsed.Length > 0 ? parsed : throw new FormatException($"{option}: at least one URL is required");
    }

    /// <summary>Parses one URL.</summary>
    public static ListenUrl Parse(string url, string option)
    {
        // '*' and '+' are not valid URI hosts; swap them for a placeholder to use Uri's parser.
        var wildcard = url.StartsWith("http://*:", StringComparison.OrdinalIgnoreCase) ? "*"
            : url.StartsWith("http://+:", StringComparison.OrdinalIgnoreCase) ? "+" : null;
        var text = wildcard is null ? url : "http://wildcard:" + url["http://*:".Length..];
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || (uri.AbsolutePath != "/" && uri.AbsolutePath.Length > 0))
        {
            throw new FormatException($"{option}: '{url}' must be http://<address>:<port> (TLS is not supported yet; terminate it in front)");
        }

        var host = wildcard ?? uri.Host.Trim('[', ']');
        if (wildcard is null && host != "localhost" && !IPAddress.TryParse(host, out _))
        {
            throw new FormatException($"{option}: '{url}' must use an IP address, localhost or *");
        }

        return new ListenUrl(host, uri.Port);
    }

    /// <summary>The address to bind, or null for all addresses.</summary>
    public IPAddress? Address => Host switch
    {
        "*" or "+" => null,
        "localhost" => IPAddress.Loopback,
        _ => IPAddress.Parse(Host),
    };

    /// <summary>The URL with <paramref name="boundPort"/> (the real port when 0 was asked).</summary>
    public string ToUrl(int boundPort)
    {
        var host = Host switch
        {
            "*" or "+" => "localhost",
            _ when Host.Contains(':') => $"[{Host}]",
            _ => Host,
        };
        return $"http://{host}:{boundPort}";
    }
}
