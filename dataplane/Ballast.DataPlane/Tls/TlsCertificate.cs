using System.Collections.Immutable;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tls;

/// <summary>
/// A bind certificate (HAProxy <c>crt</c>) parsed once per snapshot: the leaf with its private key, the intermediates
/// sent after it, the <see cref="SslStreamCertificateContext"/> handed to every handshake (built here, not per
/// handshake), and the names SNI is matched against: the DNS subject alternative names, or the subject CN when the
/// certificate has none (as HAProxy's <c>ssl_sock_load_cert</c> indexes names).
/// </summary>
internal sealed class TlsCertificate
{
    private TlsCertificate(string name, string certPem, string keyPem, X509Certificate2 leaf, X509Certificate2Collection intermediates, ImmutableArray<string> names)
    {
        Name = name;
        CertPem = certPem;
        KeyPem = keyPem;
        Leaf = leaf;
        Intermediates = intermediates;
        Names = names;
        Context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
    }

    /// <summary>The certificate's name in the snapshot (what <c>crt</c> refers to).</summary>
    public string Name { get; }

    /// <summary>The PEM the certificate was parsed from (an unchanged PEM reuses the parsed certificate).</summary>
    public string CertPem { get; }

    /// <summary>The PEM key the certificate was parsed from.</summary>
    public string KeyPem { get; }

    /// <summary>The leaf certificate, with its private key.</summary>
    public X509Certificate2 Leaf { get; }

    /// <summary>The certificates after the leaf in <c>cert_pem</c>, sent to clients as the chain.</summary>
    public X509Certificate2Collection Intermediates { get; }

    /// <summary>Leaf plus intermediates, precomputed for the handshakes.</summary>
    public SslStreamCertificateContext Context { get; }

    /// <summary>Lower-case DNS names SNI is matched against (<c>*.example.com</c> wildcards included).</summary>
    public ImmutableArray<string> Names { get; }

    /// <summary>Parses a certificate with its key.</summary>
    /// <param name="certificate">The snapshot's certificate (leaf first, then intermediates; key in <c>key_pem</c>).</param>
    /// <returns>The parsed certificate.</returns>
    /// <exception cref="CryptographicException">The PEM does not parse, the key is missing or does not match the leaf; the message says which.</exception>
    public static TlsCertificate Parse(V1.Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var all = ParseCertificates(certificate.CertPem);
        if (certificate.KeyPem.Length == 0)
        {
            throw new CryptographicException("key_pem is empty (a bind certificate needs its private key)");
        }

        X509Certificate2 leaf;
        try
        {
            leaf = X509Certificate2.CreateFromPem(certificate.CertPem, certificate.KeyPem);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new CryptographicException($"key_pem does not match the leaf certificate or is not a valid unencrypted private key ({ex.Message})", ex);
        }

        var intermediates = new X509Certificate2Collection();
        for (var i = 1; i < all.Count; i++)
        {
            intermediates.Add(all[i]);
        }

        return new TlsCertificate(certificate.Name, certificate.CertPem, certificate.KeyPem, leaf, intermediates, ReadNames(leaf));
    }

    /// <summary>Parses the PEM certificates of a CA bundle (HAProxy <c>ca-file</c>).</summary>
    /// <param name="pem">One or more PEM certificates.</param>
    /// <returns>The certificates, in order.</returns>
    /// <exception cref="CryptographicException">No certificate, or one does not parse.</exception>
    public static X509Certificate2Collection ParseCertificates(string pem)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            throw new CryptographicException($"cert_pem holds an invalid certificate ({ex.Message})", ex);
        }

        if (collection.Count == 0)
        {
            throw new CryptographicException("cert_pem holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }

        return collection;
    }

    /// <summary>Whether <paramref name="serverName"/> (lower case) equals one of <see cref="Names"/>.</summary>
    /// <param name="serverName">The client's SNI, lower case.</param>
    public bool MatchesExactly(string serverName)
    {
        foreach (var name in Names)
        {
            if (name == serverName)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a <c>*.</c> wildcard of <see cref="Names"/> covers <paramref name="serverName"/> (lower case): the
    /// wildcard stands for exactly one label, so <c>*.example.com</c> covers <c>a.example.com</c> but neither
    /// <c>example.com</c> nor <c>a.b.example.com</c>.
    /// </summary>
    /// <param name="serverName">The client's SNI, lower case.</param>
    public bool MatchesWildcard(string serverName)
    {
        var dot = serverName.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return false;
        }

        var parent = serverName.AsSpan(dot);
        foreach (var name in Names)
        {
            if (name.Length > 2 && name[0] == '*' && name[1] == '.' && parent.SequenceEqual(name.AsSpan(1)))
            {
                return true;
            }
        }

        return false;
    }

    private static ImmutableArray<string> ReadNames(X509Certificate2 leaf)
    {
        var names = ImmutableArray.CreateBuilder<string>();
        foreach (var extension in leaf.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                foreach (var dns in san.EnumerateDnsNames())
                {
                    names.Add(dns.ToLowerInvariant());
                }
            }
        }

        if (names.Count == 0)
        {
            var commonName = leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            if (!string.IsNullOrEmpty(commonName))
            {
                names.Add(commonName.ToLowerInvariant());
            }
        }

        return names.ToImmutable();
    }
}
