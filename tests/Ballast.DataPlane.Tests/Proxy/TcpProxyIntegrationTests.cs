using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Proxy;

/// <summary>mode tcp: the node relays raw TCP between real sockets on 127.0.0.1 (on the node's default transport).</summary>
public class TcpProxyIntegrationTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly List<IAsyncDisposable> _disposables = [];
    private TestNode _node = null!;

    /// <summary>The node's transport: null = its default (epoll); false = Kestrel's socket transport.</summary>
    protected virtual bool? EpollTransport => null;

    public Task InitializeAsync()
    {
        _node = TestNode.Create(epollTransport: EpollTransport);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        foreach (var disposable in _disposables)
        {
            await disposable.DisposeAsync();
        }
    }

    [Fact]
    public async Task TcpMode_SmallExchanges_RelayedUnchangedBothWays()
    {
        var echo = Track(TestTcpServer.Echo());
        var port = await ApplyTcpAsync(Backend("app", Server("echo", echo.Port)));
        using var timeout = new CancellationTokenSource(Bound);
        using var client = await ConnectAsync(port);

        for (var i = 0; i < 20; i++)
        {
            var message = Encoding.ASCII.GetBytes($"message {i}: " + new string('x', i * 37));
            await client.SendAsync(message, SocketFlags.None, timeout.Token);
            Assert.Equal(message, await ReceiveExactlyAsync(client, message.Length, timeout.Token));
        }

        client.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, await client.ReceiveAsync(new byte[1], SocketFlags.None, timeout.Token)); // echo's FIN relayed
    }

    [Fact]
    public async Task TcpMode_TenMegabytes_RelayedUnchangedAndCounted()
    {
        var echo = Track(TestTcpServer.Echo());
        var port = await ApplyTcpAsync(Backend("app", Server("echo", echo.Port)));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var payload = RandomNumberGenerator.GetBytes(10 * 1024 * 1024);
        using var client = await ConnectAsync(port);

        var sending = Task.Run(async () =>
        {
            for (var offset = 0; offset < payload.Length; offset += 100_000)
            {
                await client.SendAsync(payload.AsMemory(offset, Math.Min(100_000, payload.Length - offset)), SocketFlags.None, timeout.Token);
            }

            client.Shutdown(SocketShutdown.Send);
        });
        var received = new MemoryStream();
        var buffer = new byte[65536];
        while (true)
        {
            var n = await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (n == 0)
            {
                break;
            }

            received.Write(buffer, 0, n);
        }

        await sending;
        Assert.Equal(payload.Length, received.Length);
        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(received.ToArray()));
        Assert.True(await Eventually.WaitAsync(() => Row("web", "FRONTEND").Scur == 0, Bound));
        foreach (var (px, sv) in new[] { ("web", "FRONTEND"), ("app", "BACKEND"), ("app", "echo") })
        {
            var row = Row(px, sv);
            Assert.Equal((ulong)payload.Length, row.Bin);
            Assert.Equal((ulong)payload.Length, row.Bout);
            Assert.Equal(1UL, row.Stot);
        }
    }

    [Fact]
    public async Task TcpMode_ClientHalfClose_StillReceivesServerResponse()
    {
        var server = Track(TestTcpServer.AnswerAfterFin());
        var port = await ApplyTcpAsync(Backend("app", Server("s", server.Port)));
        using var timeout = new CancellationTokenSource(Bound);
        using var client = await ConnectAsync(port);

        await client.SendAsync(new byte[300_000], SocketFlags.None, timeout.Token);
        client.Shutdown(SocketShutdown.Send);

        Assert.Equal("received 300000 bytes", await TestTcpServer.ReadTextToEndAsync(client, timeout.Token));
    }

    [Fact]
    public async Task TcpMode_ServerHalfClose_ClientGetsFinAndCanStillSend()
    {
        var received = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = Track(TestTcpServer.Start(async (socket, token) =>
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes("bye"), SocketFlags.None, token);
            socket.Shutdown(SocketShutdown.Send);
            received.TrySetResult(await TestTcpServer.ReadToEndAsync(socket, token));
        }));
        var port = await ApplyTcpAsync(Backend("app", Server("s", server.Port)));
        using var timeout = new CancellationTokenSource(Bound);
        using var client = await ConnectAsync(port);

        Assert.Equal("bye", await TestTcpServer.ReadTextToEndAsync(client, timeout.Token)); // the server's FIN arrived
        await client.SendAsync(new byte[200_000], SocketFlags.None, timeout.Token);
        client.Shutdown(SocketShutdown.Send);

        Assert.Equal(200_000, await received.Task.WaitAsync(Bound));
    }

    [Fact]
    public async Task TcpMode_ServerRefuses_RetriedOnAnotherServerAndCounted()
    {
        var live = Track(TestTcpServer.Echo("live"));
        var port = await ApplyTcpAsync(Backend("app", Server("dead", Ports.GetClosedPort()), Server("live", live.Port)));

        for (var i = 0; i < 6; i++)
        {
            Assert.Equal("live", await GreetingAsync(port));
        }

        // HAProxy's roundrobin (fwrr) consumes a turn for the redispatch too: every connection tries dead first.
        var dead = Row("app", "dead");
        Assert.Equal(6UL, dead.Wretr);
        Assert.Equal(6UL, dead.Wredis);
        Assert.Equal(0UL, dead.Econ);
        Assert.Equal(0UL, dead.Stot - dead.Wretr); // every attempt on dead failed and was retried
        var backend = Row("app", "BACKEND");
        Assert.Equal(6UL, backend.Wretr);
        Assert.Equal(6UL, backend.Wredis);
        Assert.Equal(6UL, Row("app", "live").Stot);
    }

    [Fact]
    public async Task TcpMode_ServerDies_NewConnectionsGoElsewhere()
    {
        var a = Track(TestTcpServer.Echo("a"));
        var b = Track(TestTcpServer.Echo("b"));
        var port = await ApplyTcpAsync(Backend("app", Server("a", a.Port), Server("b", b.Port)));
        using var timeout = new CancellationTokenSource(Bound);
        Assert.Equal(["a", "b"], new[] { await GreetingAsync(port), await GreetingAsync(port) });
        using var onA = await ConnectAsync(port);
        Assert.Equal("a\n", Encoding.ASCII.GetString(await ReceiveExactlyAsync(onA, 2, timeout.Token)));

        await a.DisposeAsync(); // stops listening and closes its connections

        Assert.Equal(0, await ReceiveOrResetAsync(onA, timeout.Token)); // the open session ends with the server
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("b", await GreetingAsync(port));
        }

        Assert.True(Row("app", "a").Wredis >= 1);
        Assert.Equal(0UL, Row("app", "BACKEND").Econ);
    }

    [Fact]
    public async Task TcpMode_OnlyServerRefuses_ClosesClientAfterRetriesWithEcon()
    {
        var port = await ApplyTcpAsync(Backend("app", Server("dead", Ports.GetClosedPort())));
        using var timeout = new CancellationTokenSource(Bound);
        using var client = await ConnectAsync(port);

        Assert.Equal(0, await ReceiveOrResetAsync(client, timeout.Token));
        var dead = Row("app", "dead");
        Assert.Equal(3UL, dead.Wretr);
        Assert.Equal(0UL, dead.Wredis);
        Assert.Equal(1UL, dead.Econ);
        Assert.Equal(1UL, Row("app", "BACKEND").Econ);
        Assert.True(await Eventually.WaitAsync(() => Row("app", "BACKEND").Scur == 0 && Row("web", "FRONTEND").Scur == 0, Bound));
    }

    [Fact]
    public async Task TcpMode_OpenSessions_CountedOnFrontendBackendAndServer()
    {
        var echo = Track(TestTcpServer.Echo("e"));
        var port = await ApplyTcpAsync(Backend("app", Server("e", echo.Port)));
        using var timeout = new CancellationTokenSource(Bound);
        var clients = new List<Socket>();
        for (var i = 0; i < 3; i++)
        {
            var client = await ConnectAsync(port);
            clients.Add(client);
            await ReceiveExactlyAsync(client, 2, timeout.Token);
        }

        foreach (var (px, sv) in new[] { ("web", "FRONTEND"), ("app", "BACKEND"), ("app", "e") })
        {
            var row = Row(px, sv);
            Assert.Equal(3UL, row.Scur);
            Assert.Equal(3UL, row.Smax);
            Assert.Equal(3UL, row.Stot);
        }

        Assert.Equal("no check", Row("app", "e").Status);
        Assert.Equal("UP", Row("app", "BACKEND").Status);
        Assert.Equal("OPEN", Row("web", "FRONTEND").Status);
        foreach (var client in clients)
        {
            client.Dispose();
        }

        Assert.True(await Eventually.WaitAsync(
            () => Row("web", "FRONTEND").Scur == 0 && Row("app", "BACKEND").Scur == 0 && Row("app", "e").Scur == 0, Bound));
        Assert.Equal(6UL, Row("app", "e").Bout); // three greetings of 2 bytes
        Assert.Equal(3UL, Row("app", "e").Smax);
    }

    [Fact]
    public async Task TcpMode_ServerMaxconn_ExtraConnectionsGoToOtherServers()
    {
        var a = Track(TestTcpServer.Echo("a"));
        var b = Track(TestTcpServer.Echo("b"));
        var port = await ApplyTcpAsync(Backend("app", Server("a", a.Port, maxconn: 1), Server("b", b.Port)));
        using var timeout = new CancellationTokenSource(Bound);
        using var held = await ConnectAsync(port);
        Assert.Equal("a\n", Encoding.ASCII.GetString(await ReceiveExactlyAsync(held, 2, timeout.Token)));

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("b", await GreetingAsync(port));
        }

        Assert.Equal(1UL, Row("app", "a").Smax);
        Assert.Equal(1U, Row("app", "a").Slim);
    }

    [Fact]
    public async Task TcpMode_LeastconnWithLongSessions_SpreadsConnections()
    {
        var a = Track(TestTcpServer.Echo("a"));
        var b = Track(TestTcpServer.Echo("b"));
        var backend = Backend("app", Server("a", a.Port), Server("b", b.Port));
        backend.Balance = V1.Balance.Leastconn;
        var port = await ApplyTcpAsync(backend);
        using var timeout = new CancellationTokenSource(Bound);
        var open = new List<Socket>();
        for (var i = 0; i < 4; i++)
        {
            var client = await ConnectAsync(port);
            open.Add(client);
            await ReceiveExactlyAsync(client, 2, timeout.Token);
        }

        Assert.Equal(2UL, Row("app", "a").Scur);
        Assert.Equal(2UL, Row("app", "b").Scur);
        open[0].Dispose(); // a or b now has one session less and gets the next connection
        Assert.True(await Eventually.WaitAsync(() => Row("app", "a").Scur + Row("app", "b").Scur == 3, Bound));
        var expected = Row("app", "a").Scur == 1 ? "a" : "b";
        using var next = await ConnectAsync(port);
        Assert.Equal(expected + "\n", Encoding.ASCII.GetString(await ReceiveExactlyAsync(next, 2, timeout.Token)));
        foreach (var client in open)
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task TcpMode_TimeoutClient_ClosesIdleSession()
    {
        var echo = Track(TestTcpServer.Echo());
        var port = await ApplyTcpAsync(Backend("app", Server("echo", echo.Port)), timeoutClientMs: 300);
        using var timeout = new CancellationTokenSource(Bound);
        using var client = await ConnectAsync(port);
        await client.SendAsync(Encoding.ASCII.GetBytes("ping"), SocketFlags.None, timeout.Token);
        Assert.Equal("ping", Encoding.ASCII.GetString(await ReceiveExactlyAsync(client, 4, timeout.Token)));
        var idleSince = DateTime.UtcNow;

        Assert.Equal(0, await ReceiveOrResetAsync(client, timeout.Token)); // closed by the node, not by the echo server
        Assert.True(DateTime.UtcNow - idleSince >= TimeSpan.FromMilliseconds(250), "closed before timeout client");
        Assert.True(await Eventually.WaitAsync(() => Row("app", "echo").Scur == 0, Bound));
    }

    [Fact]
    public async Task TcpMode_TimeoutServer_ClosesSessionWhenServerStaysSilent()
    {
        var silent = Track(TestTcpServer.Start(async (socket, token) => await TestTcpServer.ReadToEndAsync(socket, token)));
        var backend = Backend("app", Server("silent", silent.Port));
        backend.TimeoutServerMs = 300;
        var port = await ApplyTcpAsync(backend);
        using var timeout = new CancellationTokenSource(Bound);
        using var client = await ConnectAsync(port);
        await client.SendAsync(Encoding.ASCII.GetBytes("request"), SocketFlags.None, timeout.Token);

        Assert.Equal(0, await ReceiveOrResetAsync(client, timeout.Token));
    }

    [Fact]
    public async Task TcpMode_ActiveTransfer_OutlivesTimeouts()
    {
        var echo = Track(TestTcpServer.Echo());
        var backend = Backend("app", Server("echo", echo.Port));
        backend.TimeoutServerMs = 2000;
        var port = await ApplyTcpAsync(backend, timeoutClientMs: 2000);
        using var timeout = new CancellationTokenSource(Bound);
        using var client = await ConnectAsync(port);

        // A message every 100 ms for over 3 s: the session lives longer than its timeouts but is never idle that long
        // (the margin absorbs scheduling stalls of a busy machine).
        var started = DateTime.UtcNow;
        while (DateTime.UtcNow - started < TimeSpan.FromSeconds(3))
        {
            await client.SendAsync(Encoding.ASCII.GetBytes("tick"), SocketFlags.None, timeout.Token);
            Assert.Equal("tick", Encoding.ASCII.GetString(await ReceiveExactlyAsync(client, 4, timeout.Token)));
            await Task.Delay(100, timeout.Token);
        }
    }

    [Fact]
    public async Task TcpMode_ConnectTimeout_RetriedOnAnotherServer()
    {
        // A listener that never accepts, its backlog filled: further SYNs are dropped, so connects hang.
        using var blackhole = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        blackhole.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        blackhole.Listen(0);
        var fillers = new List<Socket>();
        var blackholePort = ((IPEndPoint)blackhole.LocalEndPoint!).Port;
        for (var i = 0; i < 4; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            fillers.Add(filler);
            using var quick = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            try
            {
                await filler.ConnectAsync(new IPEndPoint(IPAddress.Loopback, blackholePort), quick.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        try
        {
            var live = Track(TestTcpServer.Echo("live"));
            var backend = Backend("app", Server("blackhole", blackholePort), Server("live", live.Port));
            backend.TimeoutConnectMs = 200;
            var port = await ApplyTcpAsync(backend);

            Assert.Equal("live", await GreetingAsync(port));
            Assert.Equal("live", await GreetingAsync(port));
            Assert.Equal(2UL, Row("app", "blackhole").Wretr); // fwrr: each connection tries blackhole first
            Assert.Equal(2UL, Row("app", "blackhole").Wredis);
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }

    [Fact]
    public async Task TcpMode_SourceBalance_SameClientAddressSameServer()
    {
        var a = Track(TestTcpServer.Echo("a"));
        var b = Track(TestTcpServer.Echo("b"));
        var c = Track(TestTcpServer.Echo("c"));
        var backend = Backend("app", Server("a", a.Port), Server("b", b.Port), Server("c", c.Port));
        backend.Balance = V1.Balance.Source;
        var port = await ApplyTcpAsync(backend);
        var seen = new HashSet<string>();

        for (var i = 1; i <= 6; i++)
        {
            var from = new IPAddress([127, 0, 0, (byte)i]);
            var first = await GreetingAsync(port, from);
            Assert.Equal(first, await GreetingAsync(port, from));
            seen.Add(first);
        }

        Assert.True(seen.Count > 1); // 127.0.0.1..6 modulo 3 servers
    }

    [Fact]
    public async Task TcpMode_FrontendWithoutBackend_ClosesConnection()
    {
        var port = Ports.GetFreePort();
        var frontend = Frontend("web", "", port);
        frontend.Mode = V1.Mode.Tcp;
        await ApplyOkAsync(NewConfig([frontend], []));
        using var timeout = new CancellationTokenSource(Bound);
        using var client = await ConnectAsync(port);

        Assert.Equal(0, await ReceiveOrResetAsync(client, timeout.Token));
    }

    [Fact]
    public async Task Bind_ModeChangedFromHttpToTcp_KeepsBindAndRelaysNewConnections()
    {
        var web = await TestBackend.StartAsync("web-a");
        _disposables.Add(web);
        var echo = Track(TestTcpServer.Echo("tcp"));
        var port = Ports.GetFreePort();
        await ApplyOkAsync(NewConfig([Frontend("web", "app", port)], [Backend("app", Server("a", web.Port))]));
        Assert.Equal("200 web-a", await RawHttp.GetAsync(port, "/"));

        var frontend = Frontend("web", "raw", port);
        frontend.Mode = V1.Mode.Tcp;
        var raw = Backend("raw", Server("e", echo.Port));
        raw.Mode = V1.Mode.Tcp;
        await ApplyOkAsync(NewConfig([frontend], [raw]), version: 2);

        Assert.Contains(_node.Engine.OpenBinds, b => b.Port == port);
        Assert.Equal("tcp", await GreetingAsync(port));
    }

    private TestTcpServer Track(TestTcpServer server)
    {
        _disposables.Add(server);
        return server;
    }

    private async Task<int> ApplyTcpAsync(V1.Backend backend, uint timeoutClientMs = 0)
    {
        var port = Ports.GetFreePort();
        backend.Mode = V1.Mode.Tcp;
        var frontend = Frontend("web", backend.Name, port);
        frontend.Mode = V1.Mode.Tcp;
        frontend.TimeoutClientMs = timeoutClientMs;
        await ApplyOkAsync(NewConfig([frontend], [backend]));
        return port;
    }

    private async Task ApplyOkAsync(V1.Config config, ulong version = 1)
    {
        var result = await _node.Engine.ApplyAsync(version, config, CancellationToken.None);
        Assert.True(result.Applied, result.Error);
    }

    private V1.StatRow Row(string pxname, string svname) =>
        _node.Engine.CreateStatsReport().Rows.Single(r => r.Pxname == pxname && r.Svname == svname);

    private static async Task<Socket> ConnectAsync(int port, IPAddress? from = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }

        using var timeout = new CancellationTokenSource(Bound);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
        return socket;
    }

    /// <summary>Connects, reads the greeting line of a named echo server, closes.</summary>
    private static async Task<string> GreetingAsync(int port, IPAddress? from = null)
    {
        using var timeout = new CancellationTokenSource(Bound);
        using var client = await ConnectAsync(port, from);
        var line = new StringBuilder();
        var one = new byte[1];
        while (await client.ReceiveAsync(one, SocketFlags.None, timeout.Token) == 1 && one[0] != '\n')
        {
            line.Append((char)one[0]);
        }

        return line.ToString();
    }

    private static async Task<byte[]> ReceiveExactlyAsync(Socket socket, int count, CancellationToken token)
    {
        var buffer = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, token);
            if (n == 0)
            {
                throw new EndOfStreamException($"connection closed after {read} of {count} bytes");
            }

            read += n;
        }

        return buffer;
    }

    /// <summary>Reads once: the byte count, or 0 for a FIN or a reset (both mean "closed by the peer").</summary>
    private static async Task<int> ReceiveOrResetAsync(Socket socket, CancellationToken token)
    {
        try
        {
            return await socket.ReceiveAsync(new byte[16], SocketFlags.None, token);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            return 0;
        }
    }
}
