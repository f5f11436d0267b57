using System.Net;
using System.Net.Sockets;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Proxy;

/// <summary>The node's proxy engine with real Kestrel backends on 127.0.0.1.</summary>
public class ProxyIntegrationTests : ProxyEngineTestBase
{
    [Fact]
    public async Task Proxy_SpreadsTrafficOverTwoServers()
    {
        var a = await StartBackendAsync("a");
        var b = await StartBackendAsync("b");
        var port = Ports.GetFreePort();
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [Backend("app", Server("a", a.Port), Server("b", b.Port))]));

        var bodies = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            bodies.Add(await GetAsync(port));
        }

        Assert.Equal(5, bodies.Count(x => x == "200 a"));
        Assert.Equal(5, bodies.Count(x => x == "200 b"));
        Assert.Equal(5, a.Requests);
        Assert.Equal(5, b.Requests);

        var frontend = Row("web", "FRONTEND");
        Assert.Equal("OPEN", frontend.Status);
        Assert.Equal(10UL, frontend.ReqTot);
        Assert.Equal(10UL, frontend.Hrsp2Xx);
        Assert.True(frontend.Bin > 0 && frontend.Bout > 0, $"bin={frontend.Bin} bout={frontend.Bout}");
        var backend = Row("app", "BACKEND");
        Assert.Equal(10UL, backend.Stot);
        Assert.Equal("UP", backend.Status);
        Assert.Equal(2U, backend.Act);
        Assert.True(backend.Bout > 0);
        var server = Row("app", "a");
        Assert.Equal(5UL, server.Stot);
        Assert.Equal(5UL, server.Hrsp2Xx);
        Assert.Equal("no check", server.Status);
        Assert.True(server.Bin > 0 && server.Bout > 0);
    }

    [Fact]
    public async Task Proxy_PassesStatusAndHostHeaderThrough()
    {
        var a = await StartBackendAsync("a");
        var port = Ports.GetFreePort();
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [Backend("app", Server("a", a.Port))]));

        Assert.Equal("404 a", await GetAsync(port, "/x?status=404"));
        Assert.Equal(1UL, Row("web", "FRONTEND").Hrsp4Xx);
        Assert.Equal(1UL, Row("app", "a").Hrsp4Xx);
    }

    [Fact]
    public async Task Proxy_NoUsableServer_Returns503LikeHaproxy()
    {
        var port = Ports.GetFreePort();
        await ApplyOkAsync(1, NewConfig(
            [Frontend("web", "app", port)],
            [Backend("app", Server("a", Ports.GetClosedPort(), state: V1.ServerState.Maint))]));

        using var response = await Client.GetAsync($"http://127.0.0.1:{port}/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("503 Service Unavailable", await response.Content.ReadAsStringAsync());
        Assert.Equal("DOWN", Row("app", "BACKEND").Status);
        Assert.Equal("MAINT", Row("app", "a").Status);
        Assert.Equal(1UL, Row("app", "BACKEND").Hrsp5Xx);
    }

    [Fact]
    public async Task Proxy_FrontendWithoutDefaultBackend_Returns503()
    {
        var port = Ports.GetFreePort();
        await ApplyOkAsync(1, NewConfig([Frontend("web", "", port)], []));

        Assert.StartsWith("503 ", await GetAsync(port));
    }

    [Fact]
    public async Task Proxy_ServerRefusesConnections_RetriedOnOtherServerAndCounted()
    {
        var b = await StartBackendAsync("b");
        var deadPort = Ports.GetClosedPort();
        var port = Ports.GetFreePort();
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [Backend("app", Server("dead", deadPort), Server("b", b.Port))]));

        for (var i = 0; i < 6; i++)
        {
            Assert.Equal("200 b", await GetAsync(port));
        }

        // HAProxy's roundrobin (fwrr) consumes a turn for the redispatch too, so every request tries dead first
        // (HAProxy 2.6 with option redispatch 1 reports stot 6 / wredis 6 on dead for the same traffic).
        var dead = Row("app", "dead");
        Assert.Equal(6UL, dead.Wretr);
        Assert.Equal(6UL, dead.Wredis);
        Assert.Equal(0UL, dead.Econ);
        var backend = Row("app", "BACKEND");
        Assert.Equal(6UL, backend.Wretr);
        Assert.Equal(6UL, backend.Wredis);
        Assert.Equal(6UL, backend.Hrsp2Xx);
    }

    [Fact]
    public async Task Proxy_OnlyServerRefuses_RetriesThenReturns503WithEcon()
    {
        var port = Ports.GetFreePort();
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [Backend("app", Server("dead", Ports.GetClosedPort()))]));

        using var response = await Client.PostAsync($"http://127.0.0.1:{port}/", new StringContent("payload"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var dead = Row("app", "dead");
        Assert.Equal(3UL, dead.Wretr);
        Assert.Equal(0UL, dead.Wredis);
        Assert.Equal(1UL, dead.Econ);
        Assert.Equal(1UL, Row("app", "BACKEND").Econ);
    }

    [Fact]
    public async Task Proxy_KilledBackend_MarkedDownWithinInterTimesFall_AndGetsNothingAfter()
    {
        var a = await StartBackendAsync("a");
        var b = await StartBackendAsync("b");
        var port = Ports.GetFreePort();
        const uint inter = 100;
        const uint fall = 2;
        await ApplyOkAsync(1, NewConfig(
            [Frontend("web", "app", port)],
            [Backend("app", Server("a", a.Port, check: true), Server("b", b.Port, check: true)).WithHttpCheck(inter, rise: 2, fall: fall, timeoutMs: 2000)]));
        Assert.True(await Eventually.WaitAsync(() => Row("app", "a").CheckStatus == "L7OK", TimeSpan.FromSeconds(5)));
        Assert.Equal(200U, Row("app", "a").CheckCode);

        await a.KillAsync();
        var killed = DateTime.UtcNow;
        var down = await Eventually.WaitAsync(() => Row("app", "a").Status == "DOWN", TimeSpan.FromSeconds(10), pollMs: 10);
        var elapsed = DateTime.UtcNow - killed;

        Assert.True(down);
        // fall checks, inter apart, plus scheduling slack (no speed assertion beyond the HAProxy bound + slack).
        Assert.True(elapsed < TimeSpan.FromMilliseconds((inter * (fall + 1)) + 2000), $"took {elapsed}");
        var row = Row("app", "a");
        Assert.Equal("L4CON", row.CheckStatus);
        Assert.Equal(1UL, row.Chkdown);
        Assert.True(row.Chkfail >= fall);

        var before = b.Requests;
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal("200 b", await GetAsync(port));
        }

        Assert.Equal(before + 6, b.Requests);
        Assert.Equal(0UL, Row("app", "a").Wretr); // never even tried once DOWN
    }

    [Fact]
    public async Task Proxy_HealthCheckFailingStatus_MarksDownWithL7Sts()
    {
        var a = await StartBackendAsync("a");
        var port = Ports.GetFreePort();
        await ApplyOkAsync(1, NewConfig(
            [Frontend("web", "app", port)],
            [Backend("app", Server("a", a.Port, check: true)).WithHttpCheck(50, rise: 1, fall: 1, timeoutMs: 2000)]));

        a.HealthStatus = 503;
        Assert.True(await Eventually.WaitAsync(() => Row("app", "a").Status == "DOWN", TimeSpan.FromSeconds(5)));
        Assert.Equal("L7STS", Row("app", "a").CheckStatus);
        Assert.Equal(503U, Row("app", "a").CheckCode);
        Assert.StartsWith("503 ", await GetAsync(port));

        a.HealthStatus = 200;
        Assert.True(await Eventually.WaitAsync(() => Row("app", "a").Status == "UP", TimeSpan.FromSeconds(5)));
        Assert.Equal("200 a", await GetAsync(port));
    }

    [Fact]
    public async Task Proxy_DrainServer_GetsNoNewRequests()
    {
        var a = await StartBackendAsync("a");
        var b = await StartBackendAsync("b");
        var port = Ports.GetFreePort();
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [Backend("app", Server("a", a.Port), Server("b", b.Port))]));
        await GetAsync(port);
        await GetAsync(port);
        var aBefore = a.Requests;

        await ApplyOkAsync(2, NewConfig(
            [Frontend("web", "app", port)],
            [Backend("app", Server("a", a.Port, state: V1.ServerState.Drain), Server("b", b.Port))]));
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal("200 b", await GetAsync(port));
        }

        Assert.Equal(aBefore, a.Requests);
        Assert.Equal("DRAIN", Row("app", "a").Status);
        Assert.Equal(1UL, Row("app", "a").Stot); // counters survived the snapshot swap
    }

    [Fact]
    public async Task Apply_BindInUse_NacksAndKeepsServingPreviousConfig()
    {
        var a = await StartBackendAsync("a");
        var port = Ports.GetFreePort();
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [Backend("app", Server("a", a.Port))]));
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        squatter.Listen();
        var busyPort = ((IPEndPoint)squatter.LocalEndPoint!).Port;
        var extraPort = Ports.GetFreePort();

        var result = await Node.Engine.ApplyAsync(
            2,
            NewConfig(
                [Frontend("web", "app", port), Frontend("admin", "app", extraPort, busyPort)],
                [Backend("app", Server("a", a.Port))]),
            CancellationToken.None);

        Assert.False(result.Applied);
        Assert.Equal($"frontend 'admin' bind 127.0.0.1:{busyPort}: address already in use", result.Error);
        Assert.Equal(1UL, Node.Engine.AppliedVersion);
        Assert.Equal("200 a", await GetAsync(port));
        // The bind opened before the failure was closed again.
        await Assert.ThrowsAsync<HttpRequestException>(() => Client.GetAsync($"http://127.0.0.1:{extraPort}/"));
        Assert.DoesNotContain(Node.Engine.OpenBinds, e => e.Port == extraPort);
    }

    [Fact]
    public async Task Apply_UnchangedBind_KeepsConnectionsOpen()
    {
        var a = await StartBackendAsync("a");
        var b = await StartBackendAsync("b");
        var port = Ports.GetFreePort();
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [Backend("app", Server("a", a.Port))]));
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        Assert.Contains("\r\n\r\na", await RawGetAsync(stream));

        await ApplyOkAsync(2, NewConfig([Frontend("web", "app", port)], [Backend("app", Server("b", b.Port))]));

        // Same keep-alive connection, new configuration.
        var second = await RawGetAsync(stream);
        Assert.StartsWith("HTTP/1.1 200", second);
        Assert.EndsWith("\r\n\r\nb", second);
    }

    [Fact]
    public async Task Apply_RemovedBind_ClosesAndNewBindServes()
    {
        var a = await StartBackendAsync("a");
        var oldPort = Ports.GetFreePort();
        var newPort = Ports.GetFreePort();
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", oldPort)], [Backend("app", Server("a", a.Port))]));

        await ApplyOkAsync(2, NewConfig([Frontend("web", "app", newPort)], [Backend("app", Server("a", a.Port))]));

        Assert.Equal("200 a", await GetAsync(newPort));
        Assert.True(await Eventually.WaitAsync(() => !CanConnect(oldPort), TimeSpan.FromSeconds(5)));
        Assert.Equal(1UL, Row("web", "FRONTEND").ReqTot); // counters kept: same frontend name
    }

    [Fact]
    public async Task Apply_InvalidSnapshot_NacksAndKeepsServing()
    {
        var a = await StartBackendAsync("a");
        var port = Ports.GetFreePort();
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [Backend("app", Server("a", a.Port))]));

        var result = await Node.Engine.ApplyAsync(2, NewConfig([Frontend("web", "missing", port)], []), CancellationToken.None);

        Assert.False(result.Applied);
        Assert.Contains("default_backend 'missing' does not exist", result.Error);
        Assert.Equal("200 a", await GetAsync(port));
    }

    private static bool CanConnect(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<string> RawGetAsync(NetworkStream stream)
    {
        await stream.WriteAsync("GET / HTTP/1.1\r\nHost: test\r\n\r\n"u8.ToArray());
        var buffer = new byte[4096];
        var text = string.Empty;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                return text;
            }

            text += System.Text.Encoding.ASCII.GetString(buffer, 0, read);
            var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (headerEnd < 0)
            {
                continue;
            }

            var lengthLine = text.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            if (lengthLine is not null && text.Length - headerEnd - 4 >= int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture))
            {
                return text;
            }

            if (text.EndsWith("0\r\n\r\n", StringComparison.Ordinal))
            {
                return text;
            }
        }
    }
}
