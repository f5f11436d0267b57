using System.Globalization;
using System.Net;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Validation;

/// <summary>Parses and formats frontend binds: <c>127.0.0.1:8080</c>, <c>[::1]:8080</c>, <c>*:80</c>, <c>:80</c>.</summary>
internal static class BindAddress
{
    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string text, out Bind bind, out string error)
    {
        bind = new Bind();
        error = string.Empty;
        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            error = $"must be <address>:<port> (got '{text}')";
            return false;
        }

        var host = text[..colon];
        var portText = text[(colon + 1)..];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                error = $"'{host}' is not an IPv6 address (got '{text}')";
                return false;
            }
        }
        else if (host.Contains(':'))
        {
            error = $"IPv6 addresses must be in brackets, e.g. [::1]:80 (got '{text}')";
            return false;
        }
        else if (host.Length == 0)
        {
            host = "*";
        }
        else if (host != "*" && !IPAddress.TryParse(host, out _))
        {
            error = $"address must be an IP literal or '*' (got '{text}')";
            return false;
        }

        if (!uint.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is 0 or > 65535)
        {
            error = $"port must be 1-65535 (got '{text}')";
            return false;
        }

        bind = new Bind { Address = host, Port = port };
        return true;
    }

    /// <summary>Formats a bind back to its text form.</summary>
    public static string Format(Bind bind) =>
        bind.Address.Contains(':') ? $"[{bind.Address}]:{bind.Port}" : $"{bind.Address}:{bind.Port}";

    /// <summary>Whether the address means all addresses (<c>*</c>, <c>0.0.0.0</c>, <c>::</c>).</summary>
    public static bool IsWildcard(string address) =>
        address is "*" or "" || (IPAddress.TryParse(address, out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)));

    /// <summary>Whether two binds cannot both listen: same port and same or wildcard address.</summary>
    public static bool Overlaps(Bind a, Bind b) =>
        a.Port == b.Port && (IsWildcard(a.Address) || IsWildcard(b.Address) || SameAddress(a.Address, b.Address));

    private static bool SameAddress(string a, string b) =>
        IPAddress.TryParse(a, out var x) && IPAddress.TryParse(b, out var y) ? x.Equals(y) : string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
