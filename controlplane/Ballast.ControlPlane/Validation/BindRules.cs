using Ballast.ControlPlane.Model;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Validation;

/// <summary>
/// Field rules of a bind's TLS and PROXY options (HAProxy manual, section 5.1): <c>ssl</c> needs at least one
/// <c>crt</c> (HAProxy: "no SSL certificate specified for bind"); <c>crt</c>, <c>alpn</c> and <c>ssl-min-ver</c> need
/// <c>ssl</c> (HAProxy 2.6 accepts a <c>crt</c> without <c>ssl</c> and then serves plain TCP: refused here as a
/// mistake); <c>alpn</c> offers only <c>h2</c> and <c>http/1.1</c>, each once, and only in mode http; a <c>crt</c> is
/// a certificate name, at most once per bind. Whether the names exist is checked at publish
/// (<see cref="CertificateReferences"/>).
/// </summary>
internal static class BindRules
{
    /// <summary>The ALPN protocols nodes offer.</summary>
    public static readonly IReadOnlyList<string> AlpnProtocols = ["h2", "http/1.1"];

    /// <summary>Checks the options of bind <paramref name="index"/> of <paramref name="frontend"/>.</summary>
    public static void Validate(Frontend frontend, int index, string obj, List<ValidationError> errors)
    {
        var bind = frontend.Binds[index];
        var field = $"binds[{index}]";
        var text = BindAddress.Endpoint(bind);
        if (bind.Ssl && bind.Certificates.Count == 0)
        {
            errors.Add(new(obj, field, $"ssl: needs at least one 'crt <certificate>' (bind '{text}')"));
        }

        if (!bind.Ssl)
        {
            if (bind.Certificates.Count > 0)
            {
                errors.Add(new(obj, field, $"crt: needs 'ssl' on the same bind (bind '{text}'); without it the certificate would not be used"));
            }

            if (bind.Alpn.Count > 0)
            {
                errors.Add(new(obj, field, $"alpn: needs 'ssl' on the same bind (bind '{text}')"));
            }

            if (bind.SslMinVer != TlsVersion.Default)
            {
                errors.Add(new(obj, field, $"ssl-min-ver: needs 'ssl' on the same bind (bind '{text}')"));
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var crt in bind.Certificates)
        {
            var nameErrors = new List<ValidationError>();
            ConfigValidator.ValidateName(crt, obj, field, nameErrors);
            if (nameErrors.Count > 0)
            {
                errors.Add(new(obj, field, $"crt: '{crt}' is not a certificate name (1-64 characters of A-Z a-z 0-9 _ . : -) (bind '{text}')"));
            }
            else if (!names.Add(crt))
            {
                errors.Add(new(obj, field, $"crt: '{crt}' is named twice (bind '{text}')"));
            }
        }

        var protocols = new HashSet<string>(StringComparer.Ordinal);
        foreach (var protocol in bind.Alpn)
        {
            if (!AlpnProtocols.Contains(protocol))
            {
                errors.Add(new(obj, field, $"alpn: '{protocol}' is not offered; use h2 and/or http/1.1, e.g. 'alpn h2,http/1.1' (bind '{text}')"));
            }
            else if (!protocols.Add(protocol))
            {
                errors.Add(new(obj, field, $"alpn: '{protocol}' is listed twice (bind '{text}')"));
            }
        }

        if (bind.Alpn.Count > 0 && frontend.Mode != Mode.Http)
        {
            errors.Add(new(obj, field, $"alpn: negotiates HTTP versions and needs mode http (the frontend is mode {HaproxyWords.ToWord(frontend.Mode)}) (bind '{text}')"));
        }

        if (!Enum.IsDefined(bind.SslMinVer))
        {
            errors.Add(new(obj, field, $"ssl-min-ver: unknown TLS version {(int)bind.SslMinVer} (bind '{text}')"));
        }
    }
}
