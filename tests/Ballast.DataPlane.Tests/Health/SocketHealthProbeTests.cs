using System.Net;
using System.Net.Sockets;
using System.Text;
using Ballast.DataPlane.Health;
using Ballast.DataPlane.Tests.Infrastructure;

namespace Ballast.DataPlane.Tests.Health;

public class SocketHealthProbeTests
{
    private readonly SocketHealthProbe _probe = new(TimeProvider.System);

    private static HealthCheckSettings Settings(HealthCheckKind kind, int expect = 0, int timeoutMs = 2000) =>
        new(kind, "GET", "/health", expect, TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(timeoutMs), 2, 3);

    [Fact]
    public async Task Tcp_Listening_L4Ok()
    {
        await using var backend = await TestBackend.StartAsync("a");

        var result = await _probe.CheckAsync("127.0.0.1", backend.Port, Settings(HealthCheckKind.Tcp), CancellationToken.None);

        Assert.Equal(CheckStatus.L4Ok, result.Status);
        Assert.Equal(0, backend.HealthChecks);
    }

    [Fact]
    public async Task Tcp_Refused_L4Con()
    {
        var result = await _probe.CheckAsync("127.0.0.1", Ports.GetClosedPort(), Settings(HealthCheckKind.Tcp), CancellationToken.None);

        Assert.Equal(CheckStatus.L4Connection, result.Status);
        Assert.False(result.IsSuccess);
    }

    [Fact]
    public async Task Http_Expected_L7OkWithCode()
    {
        await using var backend = await TestBackend.StartAsync("a");

        var result = await _probe.CheckAsync("127.0.0.1", backend.Port, Settings(HealthCheckKind.Http), CancellationToken.None);

        Assert.Equal(CheckStatus.L7Ok, result.Status);
        Assert.Equal(200, result.Code);
        Assert.Equal(1, backend.HealthChecks);
    }

    [Fact]
    public async Task Http_SendsTheConfiguredMethodAndPath()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var requestLine = AnswerOnceAsync(listener);
        var settings = new HealthCheckSettings(HealthCheckKind.Http, "HEAD", "/ping?db=1", 0, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), 2, 3);

        var result = await _probe.CheckAsync("127.0.0.1", port, settings, CancellationToken.None);

        Assert.Equal(CheckStatus.L7Ok, result.Status);
        Assert.StartsWith("HEAD /ping?db=1 HTTP/1.", await requestLine.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    private static async Task<string> AnswerOnceAsync(TcpListener listener)
    {
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var buffer = new byte[4096];
        var received = 0;
        while (received < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(received));
            received += n;
            if (n == 0 || Encoding.ASCII.GetString(buffer, 0, received).Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                break;
            }
        }

        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
        var text = Encoding.ASCII.GetString(buffer, 0, received);
        return text[..Math.Max(0, text.IndexOf('\r', StringComparison.Ordinal))];
    }

    [Fact]
    public async Task Http_ServerError_L7Sts()
    {
        await using var backend = await TestBackend.StartAsync("a");
        backend.HealthStatus = 500;

        var result = await _probe.CheckAsync("127.0.0.1", backend.Port, Settings(HealthCheckKind.Http), CancellationToken.None);

        Assert.Equal(CheckStatus.L7Status, result.Status);
        Assert.Equal(500, result.Code);
    }

    [Fact]
    public async Task Http_ExpectStatus_MatchesExactly()
    {
        await using var backend = await TestBackend.StartAsync("a");
        backend.HealthStatus = 204;

        var exact = await _probe.CheckAsync("127.0.0.1", backend.Port, Settings(HealthCheckKind.Http, expect: 204), CancellationToken.None);
        var other = await _probe.CheckAsync("127.0.0.1", backend.Port, Settings(HealthCheckKind.Http, expect: 200), CancellationToken.None);

        Assert.Equal(CheckStatus.L7Ok, exact.Status);
        Assert.Equal(CheckStatus.L7Status, other.Status);
    }

    [Fact]
    public async Task Http_NotHttp_L7Rsp()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serve = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes("SSH-2.0-OpenSSH\r\n"));
        });

        var result = await _probe.CheckAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, Settings(HealthCheckKind.Http), CancellationToken.None);

        Assert.Equal(CheckStatus.L7Response, result.Status);
        await serve;
    }

    [Fact]
    public async Task Http_NoAnswer_L7Tout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accept = listener.AcceptTcpClientAsync();

        var result = await _probe.CheckAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, Settings(HealthCheckKind.Http, timeoutMs: 200), CancellationToken.None);

        Assert.Equal(CheckStatus.L7Timeout, result.Status);
        (await accept).Dispose();
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\n", true, 200)]
    [InlineData("HTTP/1.0 503 Service Unavailable\r\n", true, 503)]
    [InlineData("HTTP/1.1 204\r\n", true, 204)]
    [InlineData("HTTP/2 200\r\n", false, 0)]
    [InlineData("HTTP/1.1 20x OK\r\n", false, 0)]
    [InlineData("HTTP/1.1 999 Nope\r\n", false, 0)]
    [InlineData("", false, 0)]
    public void TryParseStatus_ParsesStatusLines(string line, bool ok, int status)
    {
        Assert.Equal(ok, SocketHealthProbe.TryParseStatus(Encoding.ASCII.GetBytes(line), out var parsed));
        if (ok)
        {
            Assert.Equal(status, parsed);
        }
    }
}
