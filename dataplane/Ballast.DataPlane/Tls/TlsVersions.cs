using System.Security.Authentication;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tls;

/// <summary>HAProxy <c>ssl-min-ver</c> to the protocol set SslStream accepts.</summary>
internal static class TlsVersions
{
    /// <summary>
    /// The versions from <paramref name="minimum"/> up to TLSv1.3; the default is TLSv1.2 (HAProxy 2.2+). TLSv1.0
    /// and 1.1 are enabled on request, but the system's OpenSSL policy (Debian: <c>MinProtocol = TLSv1.2</c>) may
    /// still refuse them.
    /// </summary>
    /// <param name="minimum">The configured minimum.</param>
    /// <exception cref="ArgumentOutOfRangeException">An unknown version (the validator rejects it first).</exception>
    public static SslProtocols FromMinimum(V1.TlsVersion minimum)
    {
#pragma warning disable SYSLIB0039 // TLS 1.0/1.1 only when the configuration asks for them (HAProxy ssl-min-ver TLSv1.0)
        return minimum switch
        {
            V1.TlsVersion.Default or V1.TlsVersion.Tls12 => SslProtocols.Tls12 | SslProtocols.Tls13,
            V1.TlsVersion.Tls13 => SslProtocols.Tls13,
            V1.TlsVersion.Tls11 => SslProtocols.Tls11 | SslProtocols.Tls12 | SslProtocols.Tls13,
            V1.TlsVersion.Tls10 => SslProtocols.Tls | SslProtocols.Tls11 | SslProtocols.Tls12 | SslProtocols.Tls13,
            _ => throw new ArgumentOutOfRangeException(nameof(minimum), minimum, "unknown TLS version"),
        };
#pragma warning restore SYSLIB0039
    }
}
