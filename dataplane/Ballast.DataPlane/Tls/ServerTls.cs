using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Ballast.DataPlane.Tls;

/// <summary>
/// TLS towards one server (HAProxy server <c>ssl</c>, <c>verify</c>, <c>ca-file</c>, <c>sni</c>), built once per
/// snapshot. <c>verify required</c> (the default) validates the chain against the <c>ca-file</c> bundle only
/// (<see cref="X509ChainTrustMode.CustomRootTrust"/>; the OS store without <c>ca-file</c>) and the name against
/// <see cref="TargetHost"/>; <c>verify none</c> accepts any certificate. Revocation is not checked (HAProxy checks
/// it only with a <c>crl-file</c>).
/// </summary>
internal sealed class ServerTls
{
    /// <summary>Creates the settings.</summary>
    /// <param name="address">The server's address (IP literal or host name).</param>
    /// <param name="verify">Whether the certificate is verified (<c>verify required</c>).</param>
    /// <param name="caBundle">The <c>ca-file</c> bundle; null = the OS trust store.</param>
    /// <param name="sni">The <c>sni</c> host name; empty = none.</param>
    public ServerTls(string address, bool verify, X509Certificate2Collection? caBundle, string sni)
    {
        Verify = verify;
        CaBundle = caBundle;
        Sni = sni;
        var host = address.Length > 2 && address[0] == '[' && address[^1] == ']' ? address[1..^1] : address;
        TargetHost = sni.Length > 0 ? sni : host;
        SendsSni = sni.Length > 0 || !IPAddress.TryParse(host, out _);
    }

    /// <summary><c>verify required</c> (true) or <c>verify none</c>.</summary>
    public bool Verify { get; }

    /// <summary>The <c>ca-file</c> certificates; null = the OS trust store.</summary>
    public X509Certificate2Collection? CaBundle { get; }

    /// <summary>The configured <c>sni</c>; empty when none.</summary>
    public string Sni { get; }

    /// <summary>The name sent as SNI (unless an IP literal) and verified: <c>sni</c>, else the server address.</summary>
    public string TargetHost { get; }

    /// <summary>Whether an SNI extension is sent (a host name; never for an IP literal without <c>sni</c>).</summary>
    public bool SendsSni { get; }

    /// <summary>Whether <paramref name="other"/> connects the same way (servers sharing an address share pooled connections).</summary>
    /// <param name="other">Another server's settings.</param>
    public bool SameAs(ServerTls other) =>
        Verify == other.Verify
        && string.Equals(Sni, other.Sni, StringComparison.OrdinalIgnoreCase)
        && ReferenceEquals(CaBundle, other.CaBundle);

    /// <summary>The options of one handshake with the server (HTTP/1.1 only: no ALPN, as HAProxy without <c>alpn</c>).</summary>
    public SslClientAuthenticationOptions CreateOptions()
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = TargetHost,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        if (!Verify)
        {
            options.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (CaBundle is not null)
        {
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
                DisableCertificateDownloads = true,
            };
            policy.CustomTrustStore.AddRange(CaBundle);
            options.CertificateChainPolicy = policy;
        }

        return options;
    }
}
