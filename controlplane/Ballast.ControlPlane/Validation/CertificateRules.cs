using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ballast.ControlPlane.Model;

namespace Ballast.ControlPlane.Validation;

/// <summary>
/// Checks a certificate as nodes will load it (System.Security.Cryptography.X509Certificates): <c>certPem</c> holds
/// one or more PEM <c>CERTIFICATE</c> blocks (leaf first), <c>keyPem</c> (optional) one PEM private key (PKCS#8,
/// PKCS#1 RSA or SEC1 EC; unencrypted) matching the leaf's public key, and the leaf is within its validity period (an
/// expired or not yet valid leaf is an error). Errors name the field; messages never quote the key.
/// </summary>
internal static class CertificateRules
{
    /// <summary>Object label of a certificate: <c>certificate 'site.pem'</c>.</summary>
    public static string Object(string name) => $"certificate '{name}'";

    /// <summary>
    /// Validates <paramref name="spec"/> at <paramref name="now"/>; returns the leaf's details when it is valid, else
    /// null with <paramref name="errors"/> filled.
    /// </summary>
    public static CertificateInfo? Check(CertificateSpec spec, DateTimeOffset now, List<ValidationError> errors)
    {
        var obj = Object(spec.Name);
        var before = errors.Count;
        ConfigValidator.ValidateName(spec.Name, obj, "name", errors);
        var chain = ReadChain(spec.CertPem ?? string.Empty, obj, errors);
        if (chain is null)
        {
            return null;
        }

        try
        {
            var leaf = chain[0];
            if (now < leaf.NotBefore.ToUniversalTime())
            {
                errors.Add(new(obj, "certPem", $"the certificate is not valid before {leaf.NotBefore.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss'Z'}"));
            }
            else if (now > leaf.NotAfter.ToUniversalTime())
            {
                errors.Add(new(obj, "certPem", $"the certificate expired on {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss'Z'} ({leaf.Subject})"));
            }

            var hasKey = !string.IsNullOrWhiteSpace(spec.KeyPem);
            if (hasKey)
            {
                CheckKey(leaf, spec.KeyPem!, obj, errors);
            }

            return errors.Count > before ? null : Describe(spec.Name, leaf, chain.Count, hasKey);
        }
        finally
        {
            foreach (var certificate in chain)
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>The details of a stored certificate (assumed valid when it was stored); null when it no longer reads.</summary>
    public static CertificateInfo? Describe(string name, string certPem, bool hasKey)
    {
        var chain = ReadChain(certPem, Object(name), []);
        if (chain is null)
        {
            return null;
        }

        try
        {
            return Describe(name, chain[0], chain.Count, hasKey);
        }
        finally
        {
            foreach (var certificate in chain)
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>Whether <paramref name="keyPem"/> is the private key of the leaf of <paramref name="certPem"/>.</summary>
    public static bool KeyMatches(string certPem, string keyPem)
    {
        try
        {
            using var leaf = X509Certificate2.CreateFromPem(certPem);
            return CheckKey(leaf, keyPem, string.Empty, []);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>SHA-256 fingerprint of the leaf of <paramref name="certPem"/> (<c>sha256:ab12...</c>), or a hash of the text when it does not read.</summary>
    public static string Fingerprint(string certPem)
    {
        try
        {
            using var leaf = X509Certificate2.CreateFromPem(certPem);
            return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(leaf.RawData));
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return "text-sha256:" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(certPem)));
        }
    }

    private static CertificateInfo Describe(string name, X509Certificate2 leaf, int chainLength, bool hasKey) => new(
        name,
        leaf.Subject,
        SubjectAlternativeNames(leaf),
        leaf.Issuer,
        new DateTimeOffset(leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero),
        new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero),
        Convert.ToHexStringLower(SHA256.HashData(leaf.RawData)),
        hasKey,
        chainLength);

    private static List<string> SubjectAlternativeNames(X509Certificate2 leaf)
    {
        var names = new List<string>();
        foreach (var extension in leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            names.AddRange(extension.EnumerateDnsNames());
            names.AddRange(extension.EnumerateIPAddresses().Select(ip => ip.ToString()));
        }

        return names;
    }

    // The PEM CERTIFICATE blocks of certPem, leaf first; null (with an error) when there is none or one does not read.
    private static List<X509Certificate2>? ReadChain(string certPem, string obj, List<ValidationError> errors)
    {
        var chain = new List<X509Certificate2>();
        var rest = certPem.AsMemory();
        var index = 0;
        while (PemEncoding.TryFind(rest.Span, out var fields))
        {
            var label = rest.Span[fields.Label].ToString();
            if (label == "CERTIFICATE")
            {
                try
                {
                    chain.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(rest.Span[fields.Base64Data].ToString())));
                }
                catch (Exception ex) when (ex is CryptographicException or FormatException)
                {
                    errors.Add(new(obj, "certPem", $"PEM block {index + 1} is not a valid X.509 certificate: {ex.Message}"));
                    Dispose(chain);
                    return null;
                }
            }
            else if (label.Contains("PRIVATE KEY", StringComparison.Ordinal))
            {
                errors.Add(new(obj, "certPem", "holds a private key: put the key in keyPem, certPem holds only certificates"));
                Dispose(chain);
                return null;
            }
            else
            {
                errors.Add(new(obj, "certPem", $"PEM block {index + 1} is '{label}', expected 'CERTIFICATE'"));
                Dispose(chain);
                return null;
            }

            index++;
            rest = rest[fields.Location.End..];
        }

        if (chain.Count == 0)
        {
            errors.Add(new(obj, "certPem", "must hold at least one PEM certificate (-----BEGIN CERTIFICATE-----)"));
            return null;
        }

        return chain;
    }

    private static bool CheckKey(X509Certificate2 leaf, string keyPem, string obj, List<ValidationError> errors)
    {
        if (!PemEncoding.TryFind(keyPem, out var fields))
        {
            errors.Add(new(obj, "keyPem", "is not a PEM private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)"));
            return false;
        }

        var label = keyPem[fields.Label];
        if (label is "ENCRYPTED PRIVATE KEY")
        {
            errors.Add(new(obj, "keyPem", "is encrypted: upload the key without a passphrase"));
            return false;
        }

        if (label is not ("PRIVATE KEY" or "RSA PRIVATE KEY" or "EC PRIVATE KEY"))
        {
            errors.Add(new(obj, "keyPem", $"PEM block is '{label}', expected a private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)"));
            return false;
        }

        try
        {
            using var withKey = X509Certificate2.CreateFromPem(leaf.ExportCertificatePem(), keyPem);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            // Either the key does not read or it belongs to another certificate: tell which without quoting it.
            errors.Add(new(obj, "keyPem", ReadsAsKey(keyPem)
                ? $"does not match the certificate's public key (leaf {leaf.Subject})"
                : "is not a valid RSA or EC private key"));
            return false;
        }
    }

    private static bool ReadsAsKey(string keyPem)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(keyPem);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
        }

        try
        {
            using var ec = ECDsa.Create();
            ec.ImportFromPem(keyPem);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    private static void Dispose(List<X509Certificate2> chain)
    {
        foreach (var certificate in chain)
        {
            certificate.Dispose();
        }
    }
}
