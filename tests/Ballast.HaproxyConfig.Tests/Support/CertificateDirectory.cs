using Ballast.HaproxyConfig.Import;

namespace Ballast.HaproxyConfig.Tests.Support;

/// <summary>A temp folder holding a generated certificate file for every certificate an import names, so that <c>haproxy -c</c> can load an export.</summary>
internal sealed class CertificateDirectory : IDisposable
{
    public CertificateDirectory(IEnumerable<CertificateFile> files)
    {
        var ca = TestCertificates.CertificateAuthority();
        foreach (var file in files)
        {
            var leaf = TestCertificates.SelfSigned(file.Name);
            File.WriteAllText(System.IO.Path.Combine(Path, file.Name), file.NeedsKey ? leaf.CertPem + leaf.KeyPem : ca.CertPem);
        }
    }

    public string Path { get; } = Directory.CreateTempSubdirectory("ballast-certs-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
