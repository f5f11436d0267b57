using Ballast.HaproxyConfig.Export;
using Ballast.HaproxyConfig.Import;
using Ballast.HaproxyConfig.Tests.Support;
using Ballast.Proto.V1;
using Xunit.Abstractions;

namespace Ballast.HaproxyConfig.Tests.Export;

/// <summary>TLS binds and servers survive export → import, and HAProxy 2.6 accepts the export with the certificate files in place.</summary>
public sealed class TlsRoundTripTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _certs = Directory.CreateTempSubdirectory("ballast-certs-").FullName;

    public void Dispose() => Directory.Delete(_certs, recursive: true);

    private static Config Model() => new()
    {
        Frontends =
        {
            new Frontend
            {
                Name = "https",
                DefaultBackend = "app",
                Binds =
                {
                    new Bind { Address = "127.0.0.1", Port = 8443, Ssl = true, Certificates = { "site.pem", "api.pem" }, Alpn = { "h2", "http/1.1" }, SslMinVer = TlsVersion.Tls13, AcceptProxy = true },
                    new Bind { Address = "127.0.0.1", Port = 8080, AcceptProxy = true },
                },
            },
            new Frontend
            {
                Name = "db",
                Mode = Mode.Tcp,
                DefaultBackend = "pg",
                Binds = { new Bind { Address = "*", Port = 15432, Ssl = true, Certificates = { "site.pem" } } },
            },
        },
        Backends =
        {
            new Backend
            {
                Name = "app",
                HealthCheck = new HealthCheck(),
                Servers =
                {
                    new Server { Name = "a1", Address = "10.0.0.1", Port = 443, Ssl = true, Verify = ServerVerify.Required, CaFile = "ca.pem", Sni = "api.internal" },
                    new Server { Name = "a2", Address = "10.0.0.2", Port = 443, Ssl = true, Verify = ServerVerify.None },
                    new Server { Name = "a3", Address = "10.0.0.3", Port = 443, Ssl = true },
                    new Server { Name = "a4", Address = "10.0.0.4", Port = 80 },
                },
            },
            new Backend { Name = "pg", Mode = Mode.Tcp, HealthCheck = new HealthCheck(), Servers = { new Server { Name = "p1", Address = "10.0.1.1", Port = 5432, Ssl = true, Verify = ServerVerify.None } } },
        },
    };

    private string ExportWithFiles()
    {
        var site = TestCertificates.SelfSigned("www.example.test");
        var ca = TestCertificates.CertificateAuthority();
        var api = TestCertificates.IssuedBy(ca, "api.example.test");
        File.WriteAllText(Path.Combine(_certs, "site.pem"), site.CertPem + site.KeyPem);
        File.WriteAllText(Path.Combine(_certs, "api.pem"), api.CertPem + api.KeyPem);
        File.WriteAllText(Path.Combine(_certs, "ca.pem"), ca.CertPem);
        var text = HaproxyExporter.Export(Model(), new HaproxyExportOptions { CertificateDirectory = _certs });
        output.WriteLine(text);
        return text;
    }

    [Fact]
    public void Export_writes_certificate_files_under_the_certificate_directory()
    {
        var text = HaproxyExporter.Export(Model());
        Assert.Contains("bind 127.0.0.1:8443 ssl crt /etc/haproxy/certs/site.pem crt /etc/haproxy/certs/api.pem alpn h2,http/1.1 ssl-min-ver TLSv1.3 accept-proxy", text, StringComparison.Ordinal);
        Assert.Contains("server a1 10.0.0.1:443 ssl verify required ca-file /etc/haproxy/certs/ca.pem sni str(api.internal)", text, StringComparison.Ordinal);
        Assert.Contains("server a3 10.0.0.3:443 ssl verify required ca-file @system-ca", text, StringComparison.Ordinal);
        Assert.Contains("bind 127.0.0.1:8080 accept-proxy", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tls_model_comes_back_unchanged_with_every_file_listed()
    {
        var text = ExportWithFiles();
        var back = HaproxyImporter.Import(text);
        back.NoErrors();
        Assert.Equal(new[] { "global" }, back.Report.Findings.Select(f => f.Keyword));
        var expected = Model();
        Assert.Equal(expected, back.Config);
        Assert.Equal(new[] { ("site.pem", true), ("api.pem", true), ("ca.pem", false) }, back.Report.CertificateFiles.Select(f => (f.Name, f.NeedsKey)));
        Assert.All(back.Report.CertificateFiles, f => Assert.Equal(Path.Combine(_certs, f.Name), f.Path));
    }

    [Fact]
    public void Haproxy_accepts_the_tls_export_with_the_certificate_files()
    {
        var text = ExportWithFiles();
        var check = HaproxyBinary.Check(text);
        output.WriteLine(check.Output);
        Assert.True(check.ExitCode == 0, $"haproxy -c exited with {check.ExitCode}:\n{check.Output}\n--- exported file ---\n{text}");
        Assert.Empty(check.Alerts);
        Assert.Empty(check.Warnings);
    }

    [Fact]
    public void Haproxy_refuses_the_export_when_a_certificate_file_is_missing()
    {
        var text = ExportWithFiles();
        File.Delete(Path.Combine(_certs, "api.pem"));
        var check = HaproxyBinary.Check(text);
        Assert.NotEqual(0, check.ExitCode);
        Assert.Contains(Path.Combine(_certs, "api.pem"), check.Output, StringComparison.Ordinal);
    }
}
