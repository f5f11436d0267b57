using System.Net;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Tls;

/// <summary>Server <c>ssl</c> (mode http): HTTPS to a real Kestrel backend with a CA-signed certificate.</summary>
public sealed class ServerTlsTests : ProxyEngineTestBase
{
    private static readonly TestPki Pki = TestPki.Create();
    private static readonly TestPki WrongPki = TestPki.Create("Wrong");

    private async Task<(int Port, TlsBackend Backend)> StartAsync(Action<V1.Server> configure, params V1.Certificate[] certificates)
    {
        var leaf = Pki.IssueLeaf("backend.test", ["backend.test"], [IPAddress.Loopback]);
        var backend = Track(await TlsBackend.StartAsync("secure", leaf, [Pki.Intermediate]));
        var port = Ports.GetFreePort();
        var server = Server("a", backend.Port);
        server.Ssl = true;
        configure(server);
        var config = NewConfig([Frontend("web", "app", port)], [Backend("app", server)]);
        config.Certificates.Add(certificates);
        await ApplyOkAsync(1, config);
        return (port, backend);
    }

    [Fact]
    public async Task VerifyRequired_WithTheIssuingCa_Passes_WithoutSniForAnIpAddress()
    {
        var (port, backend) = await StartAsync(s => s.CaFile = "ca", Pki.RootBundle("ca"));

        Assert.Equal("200 secure HTTP/1.1", await GetAsync(port));
        Assert.Equal(string.Empty, backend.LastSni);
    }

    [Fact]
    public async Task VerifyRequired_WithAnotherCa_FailsAs503AndCountsEcon()
    {
        var (port, _) = await StartAsync(s => s.CaFile = "ca", WrongPki.RootBundle("ca"));

        Assert.StartsWith("503", await GetAsync(port));
        Assert.Equal(1UL, Row("app", "a").Econ);
        Assert.Equal(3UL, Row("app", "a").Wretr); // retried as a connection failure (retries 3)
    }

    [Fact]
    public async Task VerifyNone_AcceptsAnUntrustedCertificate()
    {
        var (port, _) = await StartAsync(s => s.Verify = V1.ServerVerify.None);

        Assert.Equal("200 secure HTTP/1.1", await GetAsync(port));
    }

    [Fact]
    public async Task Sni_IsSentAndVerified()
    {
        var (port, backend) = await StartAsync(
            s =>
            {
                s.CaFile = "ca";
                s.Sni = "backend.test";
            },
            Pki.RootBundle("ca"));

        Assert.Equal("200 secure HTTP/1.1", await GetAsync(port));
        Assert.Equal("backend.test", backend.LastSni);
    }

    [Fact]
    public async Task SniNotInTheCertificate_FailsVerification()
    {
        var (port, backend) = await StartAsync(
            s =>
            {
                s.CaFile = "ca";
                s.Sni = "elsewhere.test";
            },
            Pki.RootBundle("ca"));

        Assert.StartsWith("503", await GetAsync(port));
        Assert.Equal("elsewhere.test", backend.LastSni);
    }
}
