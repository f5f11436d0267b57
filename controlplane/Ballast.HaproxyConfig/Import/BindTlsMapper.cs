using Ballast.HaproxyConfig.Syntax;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// Reads the options of a <c>bind</c> line (manual, section 5.1) into the bind template every address of the line
/// gets: <c>ssl</c>, <c>crt &lt;file&gt;</c> (repeatable; the model names the certificate by the file's base name, see
/// <see cref="CertificatePaths"/>), <c>alpn</c> (<c>h2</c>, <c>http/1.1</c>), <c>ssl-min-ver</c> (TLSv1.0-TLSv1.3)
/// and <c>accept-proxy</c>. Every other option is reported at its column. As in HAProxy 2.6: <c>ssl</c> without any
/// <c>crt</c> is an error; <c>crt</c>, <c>alpn</c> and <c>ssl-min-ver</c> without <c>ssl</c> do nothing (reported,
/// left out). When <c>ssl</c> is set but every <c>crt</c> was left out (<c>crt &lt;directory&gt;</c>,
/// <c>crt-list</c>), the address is imported without TLS and that is reported.
/// </summary>
internal static class BindTlsMapper
{
    private static readonly (string Word, TlsVersion Version)[] Versions =
    [
        ("TLSv1.0", TlsVersion.Tls10), ("TLSv1.1", TlsVersion.Tls11), ("TLSv1.2", TlsVersion.Tls12), ("TLSv1.3", TlsVersion.Tls13),
    ];

    /// <summary>Reads options from word 2 on; returns the template (address and port unset).</summary>
    public static Bind Read(SectionScope scope, ConfigStatement statement)
    {
        var bind = new Bind();
        var sslIndex = -1;
        var leftOut = false;
        var optionIndexes = new List<(string Keyword, int Index)>();
        var i = 2;
        while (i < statement.Count)
        {
            var option = statement[i];
            var arguments = BindKeywords.ArgumentCount(option);
            switch (option)
            {
                case "ssl":
                    bind.Ssl = true;
                    sslIndex = i;
                    break;
                case "accept-proxy":
                    bind.AcceptProxy = true;
                    break;
                case "crt" when i + 1 < statement.Count:
                    optionIndexes.Add(("crt", i));
                    if (CertificatePaths.Map(scope, statement, i + 1, "bind crt", needsKey: true) is { } name)
                    {
                        if (!bind.Certificates.Contains(name))
                        {
                            bind.Certificates.Add(name);
                        }
                    }
                    else
                    {
                        leftOut = true;
                    }

                    break;
                case "alpn" when i + 1 < statement.Count:
                    optionIndexes.Add(("alpn", i));
                    ReadAlpn(scope, statement, i, bind);
                    break;
                case "ssl-min-ver" when i + 1 < statement.Count:
                    optionIndexes.Add(("ssl-min-ver", i));
                    var match = Versions.FirstOrDefault(v => v.Word == statement[i + 1]);
                    if (match.Word is null)
                    {
                        scope.Report(statement, i + 1, "bind ssl-min-ver", FindingSeverity.Unsupported,
                            $"unsupported: ssl-min-ver '{statement[i + 1]}' (the model offers TLSv1.0 to TLSv1.3); the default TLSv1.2 applies");
                    }
                    else
                    {
                        bind.SslMinVer = match.Version;
                    }

                    break;
                case "crt-list":
                    leftOut = true;
                    scope.Report(statement, i, "bind crt-list", FindingSeverity.Unsupported,
                        "unsupported: crt-list is not in the Ballast model; upload each certificate and name it with crt");
                    break;
                default:
                    scope.Report(statement, i, $"bind {option}", FindingSeverity.Unsupported,
                        arguments is null ? "unsupported: unknown bind option" : Reasons.NotInModel);
                    break;
            }

            i += 1 + (arguments ?? 0);
        }

        return Settle(scope, statement, bind, sslIndex, leftOut, optionIndexes);
    }

    private static void ReadAlpn(SectionScope scope, ConfigStatement statement, int index, Bind bind)
    {
        foreach (var protocol in statement[index + 1].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (protocol is "h2" or "http/1.1")
            {
                if (!bind.Alpn.Contains(protocol))
                {
                    bind.Alpn.Add(protocol);
                }
            }
            else
            {
                scope.Report(statement, index + 1, "bind alpn", FindingSeverity.Unsupported,
                    $"unsupported: ALPN protocol '{protocol}' (nodes offer h2 and http/1.1); left out");
            }
        }
    }

    // Applies HAProxy's rules between ssl and the TLS options.
    private static Bind Settle(SectionScope scope, ConfigStatement statement, Bind bind, int sslIndex, bool leftOut, List<(string Keyword, int Index)> options)
    {
        if (!bind.Ssl)
        {
            foreach (var (keyword, index) in options)
            {
                scope.Report(statement, index, $"bind {keyword}", FindingSeverity.Ignored, $"ignored: '{keyword}' has no effect without 'ssl' on the bind (HAProxy serves plain TCP)");
            }

            return new Bind { AcceptProxy = bind.AcceptProxy };
        }

        if (bind.Certificates.Count > 0)
        {
            return bind;
        }

        if (leftOut)
        {
            scope.Report(statement, sslIndex, "bind ssl", FindingSeverity.Unsupported,
                "unsupported: no certificate of this bind could be imported; the address is imported without TLS");
        }
        else
        {
            scope.Error(statement, sslIndex, "no SSL certificate specified for this bind (use 'crt')");
        }

        return new Bind { AcceptProxy = bind.AcceptProxy };
    }
}
