using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Tls;

/// <summary>
/// A throw-away PKI generated in memory for each test class (no key is ever committed): a root CA, an intermediate
/// CA signed by it, and leaves signed by the intermediate. ECDSA P-256 keeps generation fast.
/// </summary>
internal sealed class TestPki
{
    private TestPki(X509Certificate2 root, X509Certificate2 intermediate)
    {
        Root = root;
        Intermediate = intermediate;
    }

    public X509Certificate2 Root { get; }

    public X509Certificate2 Intermediate { get; }

    public static TestPki Create(string name = "Ballast Test")
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest($"CN={name} Root CA", rootKey, HashAlgorithmName.SHA256);
        AddCaExtensions(rootRequest);
        var root = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

        var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intermediateRequest = new CertificateRequest($"CN={name} Intermediate CA", intermediateKey, HashAlgorithmName.SHA256);
        AddCaExtensions(intermediateRequest);
        intermediateRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var signed = intermediateRequest.Create(root, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMonths(6), Serial());
        return new TestPki(root, signed.CopyWithPrivateKey(intermediateKey));
    }

    /// <summary>A server leaf signed by the intermediate, with DNS/IP SANs (none given: no SAN extension, only the CN).</summary>
    public X509Certificate2 IssueLeaf(string commonName, string[]? dnsNames = null, IPAddress[]? addresses = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Intermediate, true, false));
        if (dnsNames is { Length: > 0 } || addresses is { Length: > 0 })
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var dns in dnsNames ?? [])
            {
                san.AddDnsName(dns);
            }

            foreach (var address in addresses ?? [])
            {
                san.AddIpAddress(address);
            }

            request.CertificateExtensions.Add(san.Build());
        }

        using var signed = request.Create(Intermediate, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMonths(3), Serial());
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>The snapshot certificate of <paramref name="leaf"/>: leaf + intermediate PEM and the PKCS#8 key.</summary>
    public V1.Certificate ToConfig(string name, X509Certificate2 leaf, bool withIntermediate = true) => new()
    {
        Name = name,
        CertPem = leaf.ExportCertificatePem() + "\n" + (withIntermediate ? Intermediate.ExportCertificatePem() + "\n" : string.Empty),
        KeyPem = leaf.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(),
    };

    /// <summary>The snapshot CA bundle of the root (HAProxy <c>ca-file</c>).</summary>
    public V1.Certificate RootBundle(string name) => new() { Name = name, CertPem = Root.ExportCertificatePem() };

    /// <summary>A chain policy trusting only this root, without downloads (so the intermediate must be sent).</summary>
    public X509ChainPolicy TrustRootOnly()
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.Add(Root);
        return policy;
    }

    /// <summary>Opens a TLS connection to 127.0.0.1:<paramref name="port"/> accepting any certificate.</summary>
    public static async Task<TlsClient> ConnectAsync(
        int port,
        string? sni,
        SslProtocols protocols = SslProtocols.None,
        List<SslApplicationProtocol>? alpn = null,
        X509ChainPolicy? policy = null)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        var errors = SslPolicyErrors.None;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await ssl.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions
            {
                TargetHost = sni ?? string.Empty,
                EnabledSslProtocols = protocols,
                ApplicationProtocols = alpn,
                CertificateChainPolicy = policy,
                RemoteCertificateValidationCallback = (_, _, _, e) =>
                {
                    errors = e;
                    return true;
                },
            },
            timeout.Token);
        return new TlsClient(tcp, ssl, new X509Certificate2(ssl.RemoteCertificate!), errors);
    }

    private static void AddCaExtensions(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
    }

    private static byte[] Serial() => RandomNumberGenerator.GetBytes(12);
}

/// <summary>A TLS client connection and what its handshake saw.</summary>
internal sealed class TlsClient(TcpClient tcp, SslStream ssl, X509Certificate2 certificate, SslPolicyErrors errors) : IDisposable
{
    public SslStream Stream { get; } = ssl;

    /// <summary>The certificate the server presented.</summary>
    public X509Certificate2 Certificate { get; } = certificate;

    /// <summary>The client's verification result (with the chain policy given).</summary>
    public SslPolicyErrors Errors { get; } = errors;

    /// <summary>The presented certificate's CN.</summary>
    public string CommonName => Certificate.GetNameInfo(X509NameType.SimpleName, false);

    /// <summary>Sends a keep-alive GET and reads the response (Content-Length bodies only): "status body".</summary>
    public async Task<string> GetAsync(string path = "/", string host = "localhost")
    {
        await Stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n"));
        var buffer = new List<byte>();
        var chunk = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var text = Encoding.ASCII.GetString(buffer.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var length = 0;
                foreach (var line in text[..end].Split("\r\n"))
                {
                    if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    {
                        length = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                    }
                }

                if (buffer.Count >= end + 4 + length)
                {
                    return $"{text.Substring(9, 3)} {text.Substring(end + 4, length)}";
                }
            }

            var read = await Stream.ReadAsync(chunk, timeout.Token);
            if (read == 0)
            {
                throw new IOException("connection closed before the response ended");
            }

            buffer.AddRange(chunk.AsSpan(0, read));
        }
    }

    public void Dispose()
    {
        Stream.Dispose();
        tcp.Dispose();
        Certificate.Dispose();
    }
}
