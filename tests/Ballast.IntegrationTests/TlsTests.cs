using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Ballast.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Ballast.IntegrationTests;

/// <summary>TLS termination end to end: certificate upload through the admin API, publish, HTTPS on the node.</summary>
public sealed class TlsTests(ITestOutputHelper output)
{
    private const string Host = "app.ballast.test";
    private const string CertificateName = "site";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public Task TlsBind_ServesUploadedCertificateWithHttp2_AndRenewalReachesNewHandshakesWithoutNodeRestart() => BallastCluster.RunAsync(output, async cluster =>
    {
        using var ca = TestCertificateAuthority.Create("Ballast integration test CA");
        var first = ca.Issue(Host);
        await cluster.Admin.PutAsync($"certificates/{CertificateName}", new { certPem = first.CertPem, keyPem = first.KeyPem });
        await cluster.PutDemoConfigAsync();
        var bind = $"127.0.0.1:{cluster.ProxyPort} ssl crt {CertificateName} alpn h2,http/1.1";
        await cluster.Admin.PutAsync($"frontends/{BallastCluster.FrontendName}", new
        {
            name = BallastCluster.FrontendName,
            mode = "http",
            binds = new[] { bind },
            defaultBackend = BallastCluster.BackendName,
        });
        await cluster.PublishAndWaitSyncedAsync("tls bind");
        var node = cluster.Node!;
        var pid = node.Pid;

        var handshake = await Wait.ForAsync(() => TryHandshakeAsync(cluster.ProxyPort, ca), Timeout, $"a TLS handshake on {bind}");
        Assert.Equal(first.Thumbprint, handshake.Thumbprint);
        Assert.Equal(SslApplicationProtocol.Http2, handshake.Alpn);
        await Assert.ThrowsAsync<AuthenticationException>(() => HandshakeWithSystemTrustAsync(cluster.ProxyPort));

        var response = await GetOverHttp2Async(cluster.ProxyPort, ca, "/tls/first");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Contains(response.Body, new[] { "s1", "s2" });

        var renewed = ca.Issue(Host);
        Assert.NotEqual(first.Thumbprint, renewed.Thumbprint);
        await cluster.Admin.PutAsync($"certificates/{CertificateName}", new { certPem = renewed.CertPem, keyPem = renewed.KeyPem });
        await cluster.PublishAndWaitSyncedAsync("renew certificate");

        var after = await HandshakeAsync(cluster.ProxyPort, ca);
        cluster.Log($"certificate before {first.Thumbprint}, after renewal {after.Thumbprint} (alpn {after.Alpn})");
        Assert.Equal(renewed.Thumbprint, after.Thumbprint);
        Assert.Equal(SslApplicationProtocol.Http2, after.Alpn);
        Assert.False(node.HasExited, "the node process ended");
        Assert.Same(node, cluster.Node);
        Assert.Equal(pid, cluster.Node!.Pid);

        var again = await GetOverHttp2Async(cluster.ProxyPort, ca, "/tls/renewed");
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(HttpVersion.Version20, again.Version);
    });

    private static async Task<Handshake?> TryHandshakeAsync(int port, TestCertificateAuthority ca)
    {
        try
        {
            return await HandshakeAsync(port, ca);
        }
        catch (SocketException)
        {
            return null; // The bind is not listening yet.
        }
    }

    /// <summary>One fresh TCP connection and TLS handshake (SNI <see cref="Host"/>, ALPN h2 then http/1.1), trusting only <paramref name="ca"/>.</summary>
    private static async Task<Handshake> HandshakeAsync(int port, TestCertificateAuthority ca)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        using var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions
            {
                TargetHost = Host,
                ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                CertificateChainPolicy = ca.TrustOnlyThis(),
            },
            timeout.Token);
        using var certificate = X509CertificateLoader.LoadCertificate(tls.RemoteCertificate!.GetRawCertData());
        return new Handshake(certificate.Thumbprint, tls.NegotiatedApplicationProtocol);
    }

    private static async Task HandshakeWithSystemTrustAsync(int port)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        using var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = Host }, timeout.Token);
    }

    /// <summary>GET https://<see cref="Host"/>:port/path over HTTP/2 only, connecting to 127.0.0.1 and trusting only <paramref name="ca"/>.</summary>
    private static async Task<(HttpStatusCode Status, Version Version, string Body)> GetOverHttp2Async(int port, TestCertificateAuthority ca, string path)
    {
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = ca.TrustOnlyThis() },
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{Host}:{port}{path}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await client.SendAsync(request);
        return (response.StatusCode, response.Version, (await response.Content.ReadAsStringAsync()).Trim());
    }

    private sealed record Handshake(string Thumbprint, SslApplicationProtocol Alpn);
}
