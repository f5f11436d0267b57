using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ballast.Tests.Shared;

/// <summary>
/// Certificates made in code for tests (no committed private keys): self-signed leaves and a small CA chain. Shared by
/// the control-plane and haproxy.cfg test projects (linked into each).
/// </summary>
internal static class TestCertificates
{
    /// <summary>A PEM certificate and its PEM private key.</summary>
    public sealed record Pem(string CertPem, string KeyPem, X509Certificate2 Certificate)
    {
        /// <summary>PEM text ending with a newline, so that blocks can be concatenated into one file.</summary>
        public static string Line(string pem) => pem.EndsWith('\n') ? pem : pem + "\n";
    }

    /// <summary>A self-signed ECDSA P-256 leaf for <paramref name="dnsName"/>, valid from yesterday for <paramref name="days"/> days.</summary>
    public static Pem SelfSigned(string dnsName = "site.test", int days = 30, DateTimeOffset? notBefore = null, bool rsa = false)
    {
        var from = notBefore ?? DateTimeOffset.UtcNow.AddDays(-1);
        if (rsa)
        {
            using var rsaKey = RSA.Create(2048);
            var request = new CertificateRequest($"CN={dnsName}", rsaKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            AddLeafExtensions(request, dnsName);
            var cert = request.CreateSelfSigned(from, from.AddDays(days));
            return new Pem(Pem.Line(cert.ExportCertificatePem()), Pem.Line(rsaKey.ExportPkcs8PrivateKeyPem()), cert);
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ecRequest = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        AddLeafExtensions(ecRequest, dnsName);
        var ecCert = ecRequest.CreateSelfSigned(from, from.AddDays(days));
        return new Pem(Pem.Line(ecCert.ExportCertificatePem()), Pem.Line(key.ExportPkcs8PrivateKeyPem()), ecCert);
    }

    /// <summary>A CA (self-signed, CA basic constraint) valid for a year.</summary>
    public static Pem CertificateAuthority(string name = "Ballast Test CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var from = DateTimeOffset.UtcNow.AddDays(-1);
        var cert = request.CreateSelfSigned(from, from.AddDays(365));
        return new Pem(Pem.Line(cert.ExportCertificatePem()), Pem.Line(key.ExportPkcs8PrivateKeyPem()), cert);
    }

    /// <summary>A leaf for <paramref name="dnsName"/> issued by <paramref name="ca"/>; CertPem is the leaf then the CA.</summary>
    public static Pem IssuedBy(Pem ca, string dnsName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        AddLeafExtensions(request, dnsName);
        var issuer = ca.Certificate; // made by CreateSelfSigned: it holds its private key
        var from = DateTimeOffset.UtcNow.AddDays(-1);
        var serial = RandomNumberGenerator.GetBytes(12);
        var cert = request.Create(issuer, from, from.AddDays(90), serial);
        return new Pem(Pem.Line(cert.ExportCertificatePem()) + ca.CertPem, Pem.Line(key.ExportPkcs8PrivateKeyPem()), cert);
    }

    private static void AddLeafExtensions(CertificateRequest request, string dnsName)
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dnsName);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
    }
}
