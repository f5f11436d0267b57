namespace Ballast.ControlPlane.Store;

/// <summary>Row of the working configuration: a TLS certificate (table <c>Certificates</c>, see <see cref="CertificateColumns"/>).</summary>
internal sealed class CertificateEntity
{
    /// <summary>Surrogate key.</summary>
    public int Id { get; set; }

    /// <summary>Unique name, what binds' <c>crt</c> and servers' <c>caFile</c> name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>PEM certificates, leaf first.</summary>
    public string CertPem { get; set; } = string.Empty;

    /// <summary>PEM private key of the leaf; empty for a CA bundle.</summary>
    public string KeyPem { get; set; } = string.Empty;
}
