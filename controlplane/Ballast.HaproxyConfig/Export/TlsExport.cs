using Ballast.HaproxyConfig.Import;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Export;

/// <summary>
/// Writes the TLS and PROXY options of binds (<c>ssl crt &lt;file&gt;... alpn ... ssl-min-ver ... accept-proxy</c>) and
/// servers (<c>ssl verify none|required ca-file &lt;file&gt; sni str(&lt;name&gt;)</c>), with certificate names turned
/// into files of <see cref="HaproxyExportOptions.CertificateDirectory"/>. A server with <c>verify required</c> and no
/// CA bundle is written <c>ca-file @system-ca</c> (what the model means, and what HAProxy 2.6 needs to accept it); a
/// server with a host-name address and no <c>sni</c> is written <c>sni str(&lt;address&gt;)</c>, the name nodes send
/// and verify (HAProxy sends none by default). The importer reads both back as explicit values.
/// </summary>
internal static class TlsExport
{
    /// <summary>The options of <paramref name="bind"/> after its address, as words.</summary>
    public static IEnumerable<string> BindWords(Bind bind, HaproxyExportOptions options)
    {
        if (bind.Ssl)
        {
            yield return "ssl";
        }

        foreach (var crt in bind.Certificates)
        {
            yield return "crt";
            yield return HaproxyQuoting.Quote(Path(crt, options));
        }

        if (bind.Alpn.Count > 0)
        {
            yield return "alpn";
            yield return HaproxyQuoting.Quote(string.Join(',', bind.Alpn));
        }

        if (bind.SslMinVer != TlsVersion.Default)
        {
            yield return "ssl-min-ver";
            yield return bind.SslMinVer switch
            {
                TlsVersion.Tls10 => "TLSv1.0",
                TlsVersion.Tls11 => "TLSv1.1",
                TlsVersion.Tls13 => "TLSv1.3",
                _ => "TLSv1.2",
            };
        }

        if (bind.AcceptProxy)
        {
            yield return "accept-proxy";
        }
    }

    /// <summary>Adds the TLS options of <paramref name="server"/> to its line's words.</summary>
    public static void AddServerOptions(List<string> words, Server server, HaproxyExportOptions options)
    {
        if (!server.Ssl)
        {
            return;
        }

        words.Add("ssl");
        words.AddRange(["verify", server.Verify == ServerVerify.None ? "none" : "required"]);
        if (server.CaFile.Length > 0)
        {
            words.AddRange(["ca-file", HaproxyQuoting.Quote(Path(server.CaFile, options))]);
        }
        else if (server.Verify == ServerVerify.Required)
        {
            words.AddRange(["ca-file", ServerTlsOptions.SystemCa]);
        }

        var sni = server.Sni.Length > 0 ? server.Sni
            : EndpointText.IsIpLiteral(server.Address) ? string.Empty
            : server.Address;
        if (sni.Length > 0)
        {
            words.AddRange(["sni", HaproxyQuoting.Quote($"str({sni})")]);
        }
    }

    private static string Path(string name, HaproxyExportOptions options) => $"{options.CertificateDirectory.TrimEnd('/')}/{name}";
}
