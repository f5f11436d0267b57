using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ballast.Proto.Grpc;
using Ballast.Proto.Tests.Echo;
using Ballast.Proto.Tests.TestSupport;
using Microsoft.AspNetCore.Hosting;

namespace Ballast.Proto.Tests.Grpc.Client;

public sealed class TlsTests
{
    [Fact]
    public async Task Tls_UnaryAndDuplex_WorkOverHttpsWithACustomHandler()
    {
        using var certificate = CreateCertificate();
        await using var server = await GrpcTestServer.StartAsync(e => new EchoService().Map(e), listen: l => l.UseHttps(certificate));
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => cert?.GetCertHashString() == certificate.GetCertHashString();
        var address = new Uri($"https://127.0.0.1:{server.Address.Port}");
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpHandler = true });

        var reply = await channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Text = "secure" }).WaitAsync(TestTimeouts.Call);
        using var call = channel.DuplexStreaming(EchoMethods.Bidi);
        await call.RequestStream.WriteAsync(new EchoRequest { Text = "bidi" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Call));
        var echoed = call.ResponseStream.Current.Text;
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Call));

        Assert.Equal("secure", reply.Text);
        Assert.Equal("bidi", echoed);
    }

    [Fact]
    public async Task Tls_UntrustedCertificate_IsUnavailable()
    {
        using var certificate = CreateCertificate();
        await using var server = await GrpcTestServer.StartAsync(e => new EchoService().Map(e), listen: l => l.UseHttps(certificate));
        using var channel = GrpcChannel.ForAddress(new Uri($"https://127.0.0.1:{server.Address.Port}"));

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoMethods.Unary, new EchoRequest()).WaitAsync(TestTimeouts.Call));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), null);
    }
}
