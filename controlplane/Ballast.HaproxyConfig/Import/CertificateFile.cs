namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// A certificate file an imported haproxy.cfg names (<c>bind ... crt &lt;file&gt;</c>, <c>server ... ca-file
/// &lt;file&gt;</c>). The importer cannot read files: the model names the certificate by the file's base name
/// (<c>/etc/haproxy/certs/site.pem</c> → <c>site.pem</c>), and the certificate must be uploaded under that name
/// before the configuration is published.
/// </summary>
/// <param name="Name">The certificate name the model uses: the file's base name.</param>
/// <param name="Path">The path as written in the file.</param>
/// <param name="Line">1-based line of the first reference.</param>
/// <param name="Column">1-based column of the path on that line.</param>
/// <param name="Section">The section of the first reference, e.g. <c>frontend https</c>.</param>
/// <param name="NeedsKey">True when a bind's <c>crt</c> names it (chain + private key); false for a CA bundle.</param>
public sealed record CertificateFile(string Name, string Path, int Line, int Column, string Section, bool NeedsKey);
