using System.Text;
using Ballast.DataPlane.Proxy.FastPath;
using Ballast.DataPlane.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Proxy.FastPath;

/// <summary>
/// HTTP/1.1 framing through the node: keep-alive, pipelining, chunked and large bodies both ways, HEAD/204/304,
/// 100-continue, Connection: close, HTTP/1.0, client and server aborts, and the proxy's own errors. Runs on the fast
/// path (this class) and on the YARP path (<see cref="YarpPathFramingTests"/>) where the behaviour is shared.
/// </summary>
public class FastPathFramingTests : ProxyEngineTestBase
{
    private FramingBackend _backend = null!;
    private int _port;

    /// <summary>Whether the frontend is expected on the fast path.</summary>
    protected virtual bool ExpectFastPath => true;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _backend = await FramingBackend.StartAsync();
        Track(_backend);
        _port = Ports.GetFreePort();
        var frontend = Frontend("web", "app", _port);
        frontend.TimeoutClientMs = 1500;
        var backend = Backend("app", Server("a", _backend.Port));
        backend.TimeoutServerMs = 3000;
        await ApplyOkAsync(1, NewConfig([frontend], [backend]));
        var selector = Node.Services.GetRequiredService<Http1FastPath>().Selector;
        var runtime = Node.Services.GetRequiredService<global::Ballast.DataPlane.Config.RuntimeModelHolder>().Current.Frontends.Single();
        Assert.Equal(ExpectFastPath, selector.UsesFastPath(runtime));
    }

    [Fact]
    public async Task KeepAlive_ServesSequentialRequestsOnOneConnection_AndReusesTheServerConnection()
    {
        using var client = await RawConnection.ConnectAsync(_port);
        for (var i = 0; i < 5; i++)
        {
            await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            var (status, _, body) = await client.ReadResponseAsync();
            Assert.Equal(200, status);
            Assert.Equal("ok", Encoding.ASCII.GetString(body));
        }

        Assert.Equal(1, _backend.Connections);
        Assert.Equal(5UL, Row("app", "BACKEND").Hrsp2Xx);
    }

    [Fact]
    public async Task Pipelining_AnswersEachRequestInOrder()
    {
        using var client = await RawConnection.ConnectAsync(_port);
        await client.SendAsync("GET /big?n=3 HTTP/1.1\r\nHost: x\r\n\r\nGET /chunked HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nabcdGET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("xxx", Encoding.ASCII.GetString((await client.ReadResponseAsync()).Body));
        Assert.Equal("hello chunked world", Encoding.ASCII.GetString((await client.ReadResponseAsync()).Body));
        Assert.Equal("abcd", Encoding.ASCII.GetString((await client.ReadResponseAsync()).Body));
        Assert.Equal("ok", Encoding.ASCII.GetString((await client.ReadResponseAsync()).Body));
    }

    [Fact]
    public async Task ChunkedRequestBody_IsForwardedWhole()
    {
        using var client = await RawConnection.ConnectAsync(_port);
        await client.SendAsync("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
        await Task.Delay(50);
        await client.SendAsync("6;x=y\r\n world\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
        var (status, _, body) = await client.ReadResponseAsync();
        Assert.Equal(200, status);
        Assert.Equal("hello world", Encoding.ASCII.GetString(body));
        Assert.Equal("ok", Encoding.ASCII.GetString((await client.ReadResponseAsync()).Body));
    }

    [Theory]
    [InlineData("HEAD /status?code=200", true, 200)]
    [InlineData("GET /status?code=204", false, 204)]
    [InlineData("GET /status?code=304", false, 304)]
    [InlineData("HEAD /", true, 200)]
    public async Task ResponsesWithoutBody_LeaveTheConnectionInSync(string requestLine, bool head, int expected)
    {
        using var client = await RawConnection.ConnectAsync(_port);
        await client.SendAsync($"{requestLine} HTTP/1.1\r\nHost: x\r\n\r\n");
        var (status, headers, body) = await client.ReadResponseAsync(head);
        Assert.Equal(expected, status);
        Assert.Empty(body);
        await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("ok", Encoding.ASCII.GetString((await client.ReadResponseAsync()).Body));
        Assert.NotNull(headers);
    }

    [Fact]
    public async Task ExpectContinue_TheServersInterimResponseReachesTheClientBeforeTheBody()
    {
        using var client = await RawConnection.ConnectAsync(_port);
        await client.SendAsync("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        var (interim, _, _) = await client.ReadResponseAsync();
        Assert.Equal(100, interim);
        await client.SendAsync("12345");
        var (status, _, body) = await client.ReadResponseAsync();
        Assert.Equal(200, status);
        Assert.Equal("12345", Encoding.ASCII.GetString(body));
    }

    [Fact]
    public async Task LargeBodies_PassBothWays()
    {
        var upload = new byte[3 * 1024 * 1024 + 17];
        Random.Shared.NextBytes(upload);
        using var content = new ByteArrayContent(upload);
        using var response = await Client.PostAsync($"http://127.0.0.1:{_port}/echo", content);
        Assert.Equal(upload, await response.Content.ReadAsByteArrayAsync());

        var download = await Client.GetByteArrayAsync($"http://127.0.0.1:{_port}/big?n={5 * 1024 * 1024}");
        Assert.Equal(5 * 1024 * 1024, download.Length);
        // counted when the proxy finishes the request, which may be just after the client read the last byte
        Assert.True(await Eventually.WaitAsync(() => Row("app", "BACKEND").Bout > 5 * 1024 * 1024, TimeSpan.FromSeconds(10)));
        Assert.True(Row("web", "FRONTEND").Bin > 3 * 1024 * 1024);
    }

    [Fact]
    public async Task SmallResponses_CountEveryByteReceivedAndSent()
    {
        // On the fast path these responses go to the socket straight from the server's buffer: still counted.
        const string Request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
        ulong answered = 0;
        using (var client = await RawConnection.ConnectAsync(_port))
        {
            for (var i = 0; i < 3; i++)
            {
                await client.SendAsync(Request);
                var (_, headers, body) = await client.ReadResponseAsync();
                answered += (ulong)(headers.Length + 4 + body.Length);
            }
        }

        Assert.True(
            await Eventually.WaitAsync(() => Row("web", "FRONTEND").Bout == answered, TimeSpan.FromSeconds(10)),
            $"bout {Row("web", "FRONTEND").Bout}, the client received {answered} bytes");
        Assert.Equal((ulong)(3 * Request.Length), Row("web", "FRONTEND").Bin);
    }

    [Fact]
    public async Task ConnectionClose_ClosesAfterTheResponse()
    {
        using var client = await RawConnection.ConnectAsync(_port);
        await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);
        Assert.True(await client.IsClosedByPeerAsync());
    }

    [Fact]
    public async Task ConnectionClose_ClosesTheClientButKeepsTheServerConnection()
    {
        for (var i = 0; i < 3; i++)
        {
            using var client = await RawConnection.ConnectAsync(_port);
            await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            var (status, headers, body) = await client.ReadResponseAsync();
            Assert.Equal(200, status);
            Assert.Equal("ok", Encoding.ASCII.GetString(body));
            Assert.Contains("Connection: close", headers, StringComparison.OrdinalIgnoreCase);
            Assert.True(await client.IsClosedByPeerAsync());
        }

        Assert.Equal(1, _backend.Connections); // the client's close is hop-by-hop: one server connection, reused
    }

    [Fact]
    public async Task Http10_WithoutKeepAlive_ClosesAfterTheResponse()
    {
        using var client = await RawConnection.ConnectAsync(_port);
        await client.SendAsync("GET / HTTP/1.0\r\n\r\n");
        var (status, _, body) = await client.ReadResponseAsync();
        Assert.Equal(200, status);
        Assert.Equal("ok", Encoding.ASCII.GetString(body));
        Assert.True(await client.IsClosedByPeerAsync());
    }

    [Fact]
    public async Task ServerAbortMidBody_TruncatesAndClosesTheClientConnection()
    {
        using var client = await RawConnection.ConnectAsync(_port);
        await client.SendAsync("GET /abort HTTP/1.1\r\nHost: x\r\n\r\n");
        var error = await Record.ExceptionAsync(() => client.ReadResponseAsync()); // EOF or reset: never a whole body
        Assert.True(error is EndOfStreamException or System.Net.Sockets.SocketException, error?.ToString());

        // the node keeps serving
        Assert.Equal("200 ok", await GetAsync(_port));
    }

    [Fact]
    public async Task ClientAbortMidRequestBody_DoesNotDisturbOtherRequests()
    {
        using (var client = await RawConnection.ConnectAsync(_port))
        {
            await client.SendAsync("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + new string('z', 1000));
            await Task.Delay(100);
            client.Close(reset: true);
        }

        Assert.Equal("200 ok", await GetAsync(_port));
        Assert.True(await Eventually.WaitAsync(() => Row("web", "FRONTEND").Scur == 0, TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 400)]
    public async Task InvalidRequests_AreRefusedAndTheConnectionClosed(string request, int expected)
    {
        using var client = await RawConnection.ConnectAsync(_port);
        await client.SendAsync(request);
        Assert.Equal(expected, (await client.ReadResponseAsync()).Status);
        Assert.True(await client.IsClosedByPeerAsync());
        Assert.Equal(0, _backend.Connections);
    }

    [Fact]
    public async Task OversizedHead_Is431()
    {
        using var client = await RawConnection.ConnectAsync(_port);
        await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + new string('a', 40_000) + "\r\n\r\n");
        Assert.Equal(431, (await client.ReadResponseAsync()).Status);
    }

    [Fact]
    public async Task IncompleteHead_Gets408WhenTimeoutClientExpires()
    {
        using var client = await RawConnection.ConnectAsync(_port);
        await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n");
        Assert.Equal(408, (await client.ReadResponseAsync()).Status);
        Assert.True(await client.IsClosedByPeerAsync());
    }
}

/// <summary>The framing tests on the Kestrel + YARP path (fast path switched off).</summary>
public sealed class YarpPathFramingTests : FastPathFramingTests
{
    protected override bool? HttpFastPath => false;

    protected override bool ExpectFastPath => false;
}
