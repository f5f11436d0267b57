using Ballast.ControlPlane.Model;
using Ballast.HaproxyConfig.Import;

namespace Ballast.ControlPlane.Haproxy;

/// <summary>A certificate file an imported haproxy.cfg names, and whether the working configuration has it.</summary>
/// <param name="Name">The certificate name the import uses: the file's base name (<c>/etc/haproxy/certs/site.pem</c> → <c>site.pem</c>).</param>
/// <param name="File">The path in the haproxy.cfg.</param>
/// <param name="Line">Line of its first reference.</param>
/// <param name="NeedsKey">True for a bind's <c>crt</c> (chain + key), false for a server's <c>ca-file</c> (CA bundle).</param>
/// <param name="Uploaded">Whether a certificate of that name (with a key, when one is needed) is stored.</param>
public sealed record ImportCertificate(string Name, string File, int Line, bool NeedsKey, bool Uploaded);

/// <summary>
/// The certificates an import needs: the importer cannot read files, so every <c>crt</c>/<c>ca-file</c> becomes a
/// certificate name that must be uploaded (<c>PUT /api/v1/certificates/{name}</c>) before publishing; each one not
/// stored yet is a warning finding.
/// </summary>
internal static class ImportCertificates
{
    /// <summary>The certificate files of <paramref name="report"/> checked against <paramref name="stored"/>.</summary>
    public static IReadOnlyList<ImportCertificate> Check(ImportReport report, IReadOnlyList<CertificateSpec> stored)
    {
        var keys = stored.ToDictionary(c => c.Name, c => c.KeyPem is not null, StringComparer.Ordinal);
        return report.CertificateFiles
            .Select(f => new ImportCertificate(f.Name, f.Path, f.Line, f.NeedsKey, keys.TryGetValue(f.Name, out var hasKey) && (hasKey || !f.NeedsKey)))
            .ToArray();
    }

    /// <summary>One warning finding per certificate still to upload, at its first reference.</summary>
    public static IEnumerable<ImportFindingResponse> Warnings(ImportReport report, IReadOnlyList<ImportCertificate> certificates) =>
        certificates.Where(c => !c.Uploaded).Select(c =>
        {
            var file = report.CertificateFiles.First(f => f.Name == c.Name);
            return new ImportFindingResponse(file.Line, file.Column, file.Section, c.NeedsKey ? "bind crt" : "server ca-file", "warning",
                $"certificate '{c.Name}' ({c.File}) must be uploaded before publishing: PUT /api/v1/certificates/{c.Name} with " +
                (c.NeedsKey ? "certPem (chain) and keyPem" : "certPem (the CA bundle)"));
        });
}
