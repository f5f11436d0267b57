using System.Globalization;
using System.Net;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Validation;

/// <summary>
/// Parses and formats frontend binds as HAProxy bind-line text (manual, sections 4.2 "bind" and 5.1):
/// <c>&lt;address&gt;:&lt;port&gt; [ssl] [crt &lt;name&gt;]... [alpn h2,http/1.1] [ssl-min-ver TLSv1.0|TLSv1.1|TLSv1.2|TLSv1.3]
/// [accept-proxy]</c>. The address is <c>127.0.0.1</c>, <c>[::1]</c>, <c>*</c> or empty (<c>:80</c>). <c>crt</c> names a
/// certificate of <c>/api/v1/certificates</c>, not a file. The canonical form writes the options in that order
/// (a plain <c>address:port</c> stays as it is); the rules between options are <see cref="BindRules"/>'.
/// </summary>
internal static class BindAddress
{
    /// <summary>The <c>ssl-min-ver</c> words, as HAProxy spells them (SSLv3 is not offered).</summary>
    private static readonly (TlsVersion Version, string Word)[] TlsWords =
    [
        (TlsVersion.Tls10, "TLSv1.0"), (TlsVersion.Tls11, "TLSv1.1"), (TlsVersion.Tls12, "TLSv1.2"), (TlsVersion.Tls13, "TLSv1.3"),
    ];

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why, naming the keyword.</summary>
    public static bool TryParse(string text, out Bind bind, out string error)
    {
        bind = new Bind();
        error = string.Empty;
        var words = (text ?? string.Empty).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            error = "must be <address>:<port> [options] (got '')";
            return false;
        }

        if (!TryParseAddress(words[0], text!, out bind, out error))
        {
            return false;
        }

        for (var i = 1; i < words.Length; i++)
        {
            var keyword = words[i];
            switch (keyword)
            {
                case "ssl":
                    if (!Once(bind.Ssl, keyword, text!, out error))
                    {
                        return false;
                    }

                    bind.Ssl = true;
                    break;
                case "accept-proxy":
                    if (!Once(bind.AcceptProxy, keyword, text!, out error))
                    {
                        return false;
                    }

                    bind.AcceptProxy = true;
                    break;
                case "crt":
                    if (!TryArgument(words, ref i, "a certificate name", text!, out var crt, out error))
                    {
                        return false;
                    }

                    bind.Certificates.Add(crt);
                    break;
                case "alpn":
                    if (!Once(bind.Alpn.Count > 0, keyword, text!, out error) ||
                        !TryArgument(words, ref i, "a protocol list such as h2,http/1.1", text!, out var alpn, out error))
                    {
                        return false;
                    }

                    bind.Alpn.AddRange(alpn.Split(','));
                    break;
                case "ssl-min-ver":
                    if (!Once(bind.SslMinVer != TlsVersion.Default, keyword, text!, out error) ||
                        !TryArgument(words, ref i, "TLSv1.0, TLSv1.1, TLSv1.2 or TLSv1.3", text!, out var version, out error))
                    {
                        return false;
                    }

                    var match = TlsWords.FirstOrDefault(w => w.Word == version);
                    if (match.Word is null)
                    {
                        error = $"ssl-min-ver: must be TLSv1.0, TLSv1.1, TLSv1.2 or TLSv1.3 (got '{version}' in '{text}')";
                        return false;
                    }

                    bind.SslMinVer = match.Version;
                    break;
                default:
                    error = $"'{keyword}': unknown bind option; known: ssl, crt <name>, alpn <list>, ssl-min-ver <version>, accept-proxy (in '{text}')";
                    return false;
            }
        }

        return true;
    }

    /// <summary>Formats a bind back to its canonical text form: <c>*:443 ssl crt site alpn h2,http/1.1 accept-proxy</c>.</summary>
    public static string Format(Bind bind)
    {
        var text = bind.Address.Contains(':') ? $"[{bind.Address}]:{bind.Port}" : $"{bind.Address}:{bind.Port}";
        var words = new List<string> { text };
        if (bind.Ssl)
        {
            words.Add("ssl");
        }

        foreach (var crt in bind.Certificates)
        {
            words.AddRange(["crt", crt]);
        }

        if (bind.Alpn.Count > 0)
        {
            words.AddRange(["alpn", string.Join(',', bind.Alpn)]);
        }

        if (bind.SslMinVer != TlsVersion.Default)
        {
            words.AddRange(["ssl-min-ver", TlsWord(bind.SslMinVer)]);
        }

        if (bind.AcceptProxy)
        {
            words.Add("accept-proxy");
        }

        return string.Join(' ', words);
    }

    /// <summary>The HAProxy word of a TLS version (<c>TLSv1.2</c>); the default is <c>TLSv1.2</c>.</summary>
    public static string TlsWord(TlsVersion version) =>
        TlsWords.FirstOrDefault(w => w.Version == version).Word ?? "TLSv1.2";

    /// <summary>Whether the address means all addresses (<c>*</c>, <c>0.0.0.0</c>, <c>::</c>).</summary>
    public static bool IsWildcard(string address) =>
        address is "*" or "" || (IPAddress.TryParse(address, out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)));

    /// <summary>Whether two binds cannot both listen: same port and same or wildcard address.</summary>
    public static bool Overlaps(Bind a, Bind b) =>
        a.Port == b.Port && (IsWildcard(a.Address) || IsWildcard(b.Address) || SameAddress(a.Address, b.Address));

    /// <summary>The <c>address:port</c> part of a bind (what <see cref="Overlaps"/> compares).</summary>
    public static string Endpoint(Bind bind) => bind.Address.Contains(':') ? $"[{bind.Address}]:{bind.Port}" : $"{bind.Address}:{bind.Port}";

    private static bool TryParseAddress(string endpoint, string text, out Bind bind, out string error)
    {
        bind = new Bind();
        error = string.Empty;
        var colon = endpoint.LastIndexOf(':');
        if (colon < 0)
        {
            error = $"must be <address>:<port> (got '{text}')";
            return false;
        }

        var host = endpoint[..colon];
        var portText = endpoint[(colon + 1)..];
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

    private static bool Once(bool seen, string keyword, string text, out string error)
    {
        error = seen ? $"{keyword}: given more than once (in '{text}')" : string.Empty;
        return !seen;
    }

    private static bool TryArgument(string[] words, ref int i, string expected, string text, out string value, out string error)
    {
        var keyword = words[i];
        if (i + 1 >= words.Length)
        {
            value = string.Empty;
            error = $"{keyword}: expects {expected} (in '{text}')";
            return false;
        }

        value = words[++i];
        error = string.Empty;
        return true;
    }

    private static bool SameAddress(string a, string b) =>
        IPAddress.TryParse(a, out var x) && IPAddress.TryParse(b, out var y) ? x.Equals(y) : string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
