using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ballast.IntegrationTests.Infrastructure;

/// <summary>A leaf certificate issued by <see cref="TestCertificateAuthority"/>, with its PEM texts for the admin API.</summary>
/// <param name="Thumbprint">SHA-1 thumbprint (uppercase hex), as <see cref="X509Certificate2.Thumbprint"/>.</param>
/// <param name="CertPem">The leaf as PEM (<c>certPem</c> of <c>PUT /api/v1/certificates/{name}</c>).</param>
/// <param name="KeyPem">Its unencrypted PKCS#8 PEM key (<c>keyPem</c>).</param>
internal sealed record IssuedCertificate(string Thumbprint, string CertPem, string KeyPem);

/// <summary>
/// A throwaway ECDSA P-256 certificate authority made in memory for one test (no key is ever written to disk or
/// committed); it issues server certificates for a DNS name.
/// </summary>
internal sealed class TestCertificateAuthority : IDisposable
{
    private readonly ECDsa _key;

    private TestCertificateAuthority(ECDsa key, X509Certificate2 certificate)
    {
        _key = key;
        Certificate = certificate;
    }

    /// <summary>The CA certificate (with its private key), the only root a test client trusts.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Creates a CA valid from an hour ago for 30 days.</summary>
    public static TestCertificateAuthority Create(string commonName)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return new TestCertificateAuthority(key, request.CreateSelfSigned(now.AddHours(-1), now.AddDays(30)));
    }

    /// <summary>Issues a TLS server certificate for <paramref name="dnsName"/> (fresh key and serial on every call).</summary>
    public IssuedCertificate Issue(string dnsName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var now = DateTimeOffset.UtcNow;
        using var leaf = request.Create(Certificate, now.AddMinutes(-10), now.AddDays(7), serial);
        return new IssuedCertificate(leaf.Thumbprint, leaf.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>A chain policy that trusts only this CA (no system roots, no revocation check).</summary>
    public X509ChainPolicy TrustOnlyThis()
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate(Certificate.RawData));
        return policy;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }
}
