using System.Net;
using System.Net.Sockets;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// An address as written on a <c>bind</c> or <c>server</c> line, split as HAProxy's <c>str2sa_range()</c> does
/// (manual, section 11 "Address formats"): an optional family prefix (<c>ipv4@</c>, <c>ipv6@</c>, <c>unix@</c>,
/// <c>fd@</c>, ...), then <c>[ipv6]:port</c> or <c>host:port</c> split at the last colon.
/// </summary>
/// <param name="Host">The host part, brackets removed; may be empty (<c>:80</c>).</param>
/// <param name="Port">The port part, or null when there is no colon.</param>
/// <param name="Ipv6">Whether the prefix asked for IPv6 (<c>ipv6@</c>, <c>tcp6@</c>): an empty host then means <c>::</c>.</param>
internal readonly record struct EndpointText(string Host, string? Port, bool Ipv6 = false)
{
    private static readonly string[] TcpPrefixes = ["ipv4@", "ipv6@", "tcp@", "tcp4@", "tcp6@"];

    /// <summary>Splits <paramref name="text"/>; on failure <paramref name="problem"/> says why and whether it is an error.</summary>
    public static bool TryParse(string text, out EndpointText endpoint, out (FindingSeverity Severity, string Reason) problem)
    {
        endpoint = default;
        problem = default;
        var ipv6 = false;
        var at = text.IndexOf('@');
        if (at >= 0)
        {
            var prefix = text[..(at + 1)];
            if (!TcpPrefixes.Contains(prefix, StringComparer.Ordinal))
            {
                problem = (FindingSeverity.Unsupported, $"unsupported: '{prefix}' addresses are not in the Ballast model yet (TCP over IP only)");
                return false;
            }

            text = text[(at + 1)..];
            ipv6 = prefix is "ipv6@" or "tcp6@";
        }

        if (text.StartsWith('/'))
        {
            problem = (FindingSeverity.Unsupported, "unsupported: UNIX socket addresses are not in the Ballast model yet (TCP over IP only)");
            return false;
        }

        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0 || (close + 1 < text.Length && text[close + 1] != ':'))
            {
                problem = (FindingSeverity.Error, $"invalid address '{text}': expected [ipv6]:port");
                return false;
            }

            endpoint = new EndpointText(text[1..close], close + 1 < text.Length ? text[(close + 2)..] : null, ipv6);
            return true;
        }

        var colon = text.LastIndexOf(':');
        endpoint = colon < 0 ? new EndpointText(text, null, ipv6) : new EndpointText(text[..colon], text[(colon + 1)..], ipv6);
        return true;
    }

    /// <summary>Whether <paramref name="host"/> is a strict IPv4 (four dotted decimals) or IPv6 literal.</summary>
    public static bool IsIpLiteral(string host)
    {
        if (host.Contains(':'))
        {
            return IPAddress.TryParse(host, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6;
        }

        var parts = host.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit) && int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) <= 255);
    }
}
