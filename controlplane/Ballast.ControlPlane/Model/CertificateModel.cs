using System.Text.Json.Serialization;

namespace Ballast.ControlPlane.Model;

/// <summary>
/// A TLS certificate of the working configuration, as the files HAProxy reads for <c>bind ... crt &lt;file&gt;</c>
/// (chain + key) and <c>server ... ca-file &lt;file&gt;</c> (CA bundle, no key). Binds and servers name it.
/// </summary>
public sealed record CertificateSpec
{
    /// <summary>Unique name, 1-64 characters of A-Z a-z 0-9 _ . : - (e.g. <c>site.pem</c>).</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>PEM certificates: for a bind the leaf first, then its intermediates; for a CA bundle one or more CA certificates.</summary>
    public string CertPem { get; init; } = string.Empty;

    /// <summary>
    /// PEM private key of the leaf (PKCS#8, PKCS#1 RSA or SEC1 EC); required for a bind certificate, absent for a CA
    /// bundle. Write-only: never returned by the API, the exports or the audit log.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? KeyPem { get; init; }
}

/// <summary>Body of <c>PUT /api/v1/certificates/{name}</c>.</summary>
public sealed record CertificateUpload
{
    /// <summary>PEM certificates: the leaf first, then its intermediates (or a CA bundle).</summary>
    public string CertPem { get; init; } = string.Empty;

    /// <summary>PEM private key of the leaf; omit for a CA bundle (<c>caFile</c>). A bind certificate needs one.</summary>
    public string? KeyPem { get; init; }
}

/// <summary>What <c>/api/v1/certificates</c> shows of a certificate: its leaf's details, never the key.</summary>
/// <param name="Name">The certificate's name.</param>
/// <param name="Subject">Subject distinguished name of the leaf (the first certificate), e.g. <c>CN=www.example.com</c>.</param>
/// <param name="Sans">DNS and IP subject alternative names of the leaf.</param>
/// <param name="Issuer">Issuer distinguished name of the leaf.</param>
/// <param name="NotBefore">Start of the leaf's validity, UTC.</param>
/// <param name="NotAfter">End of the leaf's validity, UTC.</param>
/// <param name="Sha256">SHA-256 fingerprint of the leaf's DER encoding, lower-case hex.</param>
/// <param name="HasKey">Whether a private key is stored (needed to be named by a bind's <c>crt</c>).</param>
/// <param name="ChainLength">Certificates in <c>certPem</c> (leaf plus intermediates, or the CA bundle's size).</param>
/// <param name="CertPem">The PEM certificates (public); only on <c>GET /certificates/{name}</c>.</param>
public sealed record CertificateInfo(
    string Name,
    string Subject,
    IReadOnlyList<string> Sans,
    string Issuer,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string Sha256,
    bool HasKey,
    int ChainLength,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CertPem = null);
