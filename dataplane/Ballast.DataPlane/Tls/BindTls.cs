using System.Collections.Immutable;
using System.Net.Security;
using System.Security.Authentication;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tls;

/// <summary>
/// TLS settings of one <c>bind ... ssl</c> in one snapshot, read by every new handshake on the bind (so a new
/// snapshot changes the certificate of new handshakes without reopening the listener): the certificates
/// (<c>crt</c>, the first is the default), the ALPN protocols offered (<c>alpn</c>) and the lowest TLS version
/// (<c>ssl-min-ver</c>, default TLSv1.2).
/// </summary>
internal sealed class BindTls
{
    /// <summary>Creates the settings.</summary>
    /// <param name="certificates">Certificates in <c>crt</c> order; at least one.</param>
    /// <param name="alpn">ALPN protocol names in preference order (<c>h2</c>, <c>http/1.1</c>); empty = none.</param>
    /// <param name="minVersion">HAProxy <c>ssl-min-ver</c>.</param>
    public BindTls(ImmutableArray<TlsCertificate> certificates, IEnumerable<string> alpn, V1.TlsVersion minVersion)
    {
        if (certificates.IsDefaultOrEmpty)
        {
            throw new ArgumentException("a TLS bind needs at least one certificate", nameof(certificates));
        }

        Certificates = certificates;
        ApplicationProtocols = alpn.Select(p => p == "h2" ? SslApplicationProtocol.Http2 : new SslApplicationProtocol(p)).ToImmutableArray();
        MinVersion = minVersion;
        EnabledProtocols = TlsVersions.FromMinimum(minVersion);
    }

    /// <summary>Certificates in <c>crt</c> order; the first is offered without SNI or when no name matches.</summary>
    public ImmutableArray<TlsCertificate> Certificates { get; }

    /// <summary>ALPN protocols offered, in preference order; empty when the bind has no <c>alpn</c>.</summary>
    public ImmutableArray<SslApplicationProtocol> ApplicationProtocols { get; }

    /// <summary>HAProxy <c>ssl-min-ver</c> as configured.</summary>
    public V1.TlsVersion MinVersion { get; }

    /// <summary>The protocol versions accepted (the minimum and every later one).</summary>
    public SslProtocols EnabledProtocols { get; }

    /// <summary>
    /// The certificate for a client's SNI: a certificate naming it exactly, else one whose <c>*.</c> wildcard covers
    /// it, in <c>crt</c> order; without SNI or without a match, the first (HAProxy's default certificate).
    /// </summary>
    /// <param name="serverName">The SNI sent by the client, or null/empty.</param>
    public TlsCertificate Select(string? serverName)
    {
        if (string.IsNullOrEmpty(serverName) || Certificates.Length == 1)
        {
            return Certificates[0];
        }

        var name = serverName.ToLowerInvariant();
        foreach (var certificate in Certificates)
        {
            if (certificate.MatchesExactly(name))
            {
                return certificate;
            }
        }

        foreach (var certificate in Certificates)
        {
            if (certificate.MatchesWildcard(name))
            {
                return certificate;
            }
        }

        return Certificates[0];
    }

    /// <summary>
    /// The options of one handshake. Without <c>alpn</c>, mode http offers only <c>http/1.1</c> (clients speak
    /// HTTP/1.1, as with HAProxy 2.6 without <c>alpn</c>) so that Kestrel does not offer h2 on its own.
    /// </summary>
    /// <param name="serverName">The client's SNI, or null.</param>
    /// <param name="httpMode">Whether the bind's frontend is mode http.</param>
    public SslServerAuthenticationOptions CreateOptions(string? serverName, bool httpMode)
    {
        List<SslApplicationProtocol>? protocols = null;
        if (!ApplicationProtocols.IsEmpty)
        {
            protocols = [.. ApplicationProtocols];
        }
        else if (httpMode)
        {
            protocols = [SslApplicationProtocol.Http11];
        }

        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = Select(serverName).Context,
            EnabledSslProtocols = EnabledProtocols,
            ApplicationProtocols = protocols,
            ClientCertificateRequired = false,
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        };
    }
}
