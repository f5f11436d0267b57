namespace Ballast.HaproxyConfig.Export;

/// <summary>Options of <see cref="HaproxyExporter.Export(Proto.V1.Config, HaproxyExportOptions)"/>.</summary>
public sealed record HaproxyExportOptions
{
    /// <summary>Where the exported haproxy.cfg expects the certificate files (Ballast's convention).</summary>
    public const string DefaultCertificateDirectory = "/etc/haproxy/certs";

    /// <summary>The default options.</summary>
    public static readonly HaproxyExportOptions Default = new();

    /// <summary>
    /// Directory of the certificate files: a bind's <c>crt &lt;name&gt;</c> is written <c>crt &lt;dir&gt;/&lt;name&gt;</c>
    /// and a server's <c>ca-file &lt;name&gt;</c> <c>ca-file &lt;dir&gt;/&lt;name&gt;</c>. Each file holds the certificate's
    /// <c>certPem</c> followed by its <c>keyPem</c> (HAProxy's <c>crt</c> format); a CA bundle holds <c>certPem</c> only.
    /// Default <c>/etc/haproxy/certs</c>.
    /// </summary>
    public string CertificateDirectory { get; init; } = DefaultCertificateDirectory;
}
