using System.Globalization;
using System.Net;

namespace Ballast.HaproxyConfig.Logging;

/// <summary>
/// The syslog-over-UDP target forms the nodes accept: <c>host</c> (port 514), <c>host:port</c>, <c>[v6]:port</c>, a bare
/// IPv6 literal, each optionally prefixed with <c>udp@</c> or <c>udp4@</c>; the host is an IP literal or a DNS name.
/// </summary>
internal static class LogAddress
{
    /// <summary>Why <paramref name="address"/> is not a UDP syslog target; null when it is.</summary>
    public static string? HostPortError(string address)
    {
        var hostPort = address.StartsWith("udp@", StringComparison.Ordinal) ? address[4..]
            : address.StartsWith("udp4@", StringComparison.Ordinal) ? address[5..]
            : address;
        var host = hostPort;
        string? port = null;
        var colon = hostPort.LastIndexOf(':');
        if (colon > 0 && hostPort.IndexOf(':') == colon)
        {
            host = hostPort[..colon];
            port = hostPort[(colon + 1)..];
        }
        else if (hostPort.StartsWith('[') && hostPort.Contains("]:", StringComparison.Ordinal))
        {
            var end = hostPort.IndexOf("]:", StringComparison.Ordinal);
            host = hostPort[1..end];
            port = hostPort[(end + 2)..];
        }

        if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535))
        {
            return $"invalid log target port in '{address}'";
        }

        if (host.Length == 0 || (!IPAddress.TryParse(host, out _) && Uri.CheckHostName(host) != UriHostNameType.Dns))
        {
            return $"invalid log target '{address}' (expected stdout, stderr, an absolute file path or host:port)";
        }

        return null;
    }
}
