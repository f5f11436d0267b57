using System.Net;
using System.Net.Sockets;
using System.Text;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Proxy;

/// <summary>
/// Issue 5 server and backend options with real Kestrel backends on 127.0.0.1: backup servers, the maxconn queue,
/// retries/retry-on/redispatch, option forwardfor, slowstart and checks on another port.
/// </summary>
public class ServerOptionsIntegrationTests : ProxyEngineTestBase
{
    private static V1.Server Backup(V1.Server server)
    {
        server.Backup = true;
        return server;
    }

    [Fact]
    public async Task Backup_TakesTrafficOnlyWhenAllActiveServersAreDown_FirstBackupOnly()
    {
        var a = await StartBackendAsync("a");
        var b = await StartBackendAsync("b");
        var c = await StartBackendAsync("c");
        var port = Ports.GetFreePort();
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [Backend("app", Server("a", a.Port), Backup(Server("b", b.Port)), Backup(Server("c", c.Port)))]));
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("200 a", await GetAsync(port));
        }

        await ApplyOkAsync(2, NewConfig(
            [Frontend("web", "app", port)],
            [Backend("app", Server("a", a.Port, state: V1.ServerState.Maint), Backup(Server("b", b.Port)), Backup(Server("c", c.Port)))]));
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("200 b", await GetAsync(port)); // without option allbackups: the first backup only
        }

        Assert.Equal(0, c.Requests);
    }

    [Fact]
    public async Task Backup_WithAllbackups_BalancesOverAllBackups()
    {
        var a = await StartBackendAsync("a");
        var b = await StartBackendAsync("b");
        var c = await StartBackendAsync("c");
        var port = Ports.GetFreePort();
        var backend = Backend("app", Server("a", a.Port, state: V1.ServerState.Maint), Backup(Server("b", b.Port)), Backup(Server("c", c.Port)));
        backend.Allbackups = true;
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [backend]));

        var bodies = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            bodies.Add(await GetAsync(port));
        }

        Assert.Equal(3, bodies.Count(x => x == "200 b"));
        Assert.Equal(3, bodies.Count(x => x == "200 c"));
        Assert.Equal(0, a.Requests);
    }

    [Fact]
    public async Task Maxconn_QueuesRequestsUntilASlotFrees_InsteadOf503()
    {
        var a = await StartBackendAsync("a");
        var port = Ports.GetFreePort();
        var backend = Backend("app", Server("a", a.Port, maxconn: 1));
        backend.TimeoutQueueMs = 5000;
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [backend]));

        var requests = Enumerable.Range(0, 4).Select(_ => GetAsync(port, "/?delayMs=200")).ToArray();
        var results = await Task.WhenAll(requests);

        Assert.All(results, r => Assert.Equal("200 a", r));
        var row = Node.Engine.CreateStatsReport().Rows.Single(r => r.Pxname == "app" && r.Svname == "a");
        Assert.Equal(1UL, row.Smax); // never more than maxconn at once
        var state = Node.Engine.Current.BackendsByName["app"].State;
        Assert.True(state.Queue.Max >= 1, $"qmax={state.Queue.Max}");
        var backendRow = Node.Engine.CreateStatsReport().Rows.Single(r => r.Pxname == "app" && r.Svname == "BACKEND");
        Assert.Equal((0UL, (ulong)state.Queue.Max), (backendRow.Qcur, backendRow.Qmax));
        Assert.Equal(0, state.Queue.Length);
    }

    [Fact]
    public async Task TimeoutQueue_Expires_Returns503()
    {
        var a = await StartBackendAsync("a");
        var port = Ports.GetFreePort();
        var backend = Backend("app", Server("a", a.Port, maxconn: 1));
        backend.TimeoutQueueMs = 150;
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [backend]));

        var slow = GetAsync(port, "/?delayMs=1500");
        await Task.Delay(300);
        var started = DateTime.UtcNow;
        var queued = await GetAsync(port);

        Assert.StartsWith("503 ", queued);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(100), "the request waited in the queue first");
        Assert.Equal("200 a", await slow);
    }

    [Fact]
    public async Task Retries_ServerKilledDuringAStreamOfGets_CostsTheClientNoFailedRequest()
    {
        var a = await StartBackendAsync("a");
        var b = await StartBackendAsync("b");
        var port = Ports.GetFreePort();
        var backend = Backend("app", Server("a", a.Port), Server("b", b.Port));
        backend.RetryOn.Add("all-retryable-errors");
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [backend]));

        var failures = new List<string>();
        var stop = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        var killer = Task.Run(async () =>
        {
            await Task.Delay(500);
            await a.KillAsync();
        });
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (DateTime.UtcNow < stop)
            {
                var result = await GetAsync(port);
                if (!result.StartsWith("200 ", StringComparison.Ordinal))
                {
                    lock (failures)
                    {
                        failures.Add(result);
                    }
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        await killer;

        Assert.Empty(failures);
        Assert.True(b.Requests > 10);
    }

    [Fact]
    public async Task RetryOnStatus_RetriesIdempotentRequestsOnAnotherServer_NotPosts()
    {
        var a = await StartBackendAsync("a");
        var b = await StartBackendAsync("b");
        a.ForcedStatus = 503;
        var port = Ports.GetFreePort();
        var backend = Backend("app", Server("a", a.Port), Server("b", b.Port));
        backend.RetryOn.Add("503");
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [backend]));

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("200 b", await GetAsync(port));
        }

        using var post = await Client.PostAsync($"http://127.0.0.1:{port}/", new StringContent("x"));
        using var post2 = await Client.PostAsync($"http://127.0.0.1:{port}/", new StringContent("x"));
        Assert.Contains(HttpStatusCode.ServiceUnavailable, new[] { post.StatusCode, post2.StatusCode }); // POST is not retried
        Assert.True(Node.Engine.CreateStatsReport().Rows.Single(r => r.Pxname == "app" && r.Svname == "BACKEND").Wretr >= 2);
    }

    [Fact]
    public async Task Redispatch0_RetriesStayOnTheSameServer()
    {
        var a = await StartBackendAsync("a");
        var b = await StartBackendAsync("b");
        a.ForcedStatus = 503;
        b.ForcedStatus = 503;
        var port = Ports.GetFreePort();
        var backend = Backend("app", Server("a", a.Port), Server("b", b.Port));
        backend.RetryOn.Add("503");
        backend.Retries = 2;
        backend.Redispatch = 0;
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [backend]));

        Assert.StartsWith("503 ", await GetAsync(port));
        Assert.Equal(3, a.Requests + b.Requests);
        Assert.True(a.Requests == 3 || b.Requests == 3, $"a={a.Requests} b={b.Requests}");
    }

    [Fact]
    public async Task ForwardFor_AppendsTheClientAddress_AfterAnExistingHeader()
    {
        var a = await StartBackendAsync("a");
        var port = Ports.GetFreePort();
        var backend = Backend("app", Server("a", a.Port));
        backend.Forwardfor = true;
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [backend]));

        Assert.Equal("200 a", await GetAsync(port));
        Assert.Equal("127.0.0.1", a.LastForwardedFor);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var response = await Client.SendAsync(request);
        Assert.Equal("203.0.113.7, 127.0.0.1", a.LastForwardedFor);

        backend.ForwardforExcept = "127.0.0.0/8";
        await ApplyOkAsync(2, NewConfig([Frontend("web", "app", port)], [backend]));
        Assert.Equal("200 a", await GetAsync(port));
        Assert.Null(a.LastForwardedFor);
    }

    [Fact]
    public async Task ForwardFor_WithConnectionClose_AddsTheClientAddressAsOnKeepAlive()
    {
        var a = await StartBackendAsync("a");
        var port = Ports.GetFreePort();
        var backend = Backend("app", Server("a", a.Port));
        backend.Forwardfor = true;
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [backend]));

        // The client's Connection: close is not passed on (the server connection stays reusable): the head is rewritten.
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/"))
        {
            request.Headers.ConnectionClose = true;
            using var response = await Client.SendAsync(request);
            Assert.Equal("127.0.0.1", a.LastForwardedFor);
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/"))
        {
            request.Headers.ConnectionClose = true;
            request.Headers.Add("X-Forwarded-For", "203.0.113.7");
            using var response = await Client.SendAsync(request);
            Assert.Equal("203.0.113.7, 127.0.0.1", a.LastForwardedFor);
        }
    }

    [Fact]
    public async Task WithoutForwardFor_NoHeaderIsAdded()
    {
        var a = await StartBackendAsync("a");
        var port = Ports.GetFreePort();
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [Backend("app", Server("a", a.Port))]));

        Assert.Equal("200 a", await GetAsync(port));
        Assert.Null(a.LastForwardedFor);
    }

    [Fact]
    public async Task SlowStart_RampsTheWeightAfterTheServerComesBackUp_NotAtBoot()
    {
        var a = await StartBackendAsync("a");
        var b = await StartBackendAsync("b");
        var port = Ports.GetFreePort();
        var sb = Server("b", b.Port, check: true);
        sb.SlowstartMs = 3000;
        var backend = Backend("app", Server("a", a.Port), sb).WithHttpCheck(interMs: 100, rise: 1, fall: 2, timeoutMs: 2000);
        backend.HealthCheck.ExpectStatus = 200;
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [backend]));
        var server = Node.Engine.Current.BackendsByName["app"].Servers[1];
        Assert.Equal(16, server.EffectiveWeight); // at boot: full weight

        b.HealthStatus = 503;
        Assert.True(await Eventually.WaitAsync(() => !server.State.Health.IsUp, TimeSpan.FromSeconds(5)));
        b.HealthStatus = 200;
        Assert.True(await Eventually.WaitAsync(() => server.State.Health.IsUp, TimeSpan.FromSeconds(5)));

        var before = b.Requests;
        for (var i = 0; i < 20; i++)
        {
            await GetAsync(port);
        }

        Assert.True(b.Requests - before <= 4, $"b got {b.Requests - before} of 20 right after coming back");
        Assert.True(await Eventually.WaitAsync(() => server.State.WarmupPercent == 100 && server.State.Health.IsUp, TimeSpan.FromSeconds(6)));
        Assert.Equal(0L, server.State.Health.DownTransitions - 1); // no flapping during the ramp
        before = b.Requests;
        for (var i = 0; i < 20; i++)
        {
            await GetAsync(port);
        }

        Assert.True(10 == b.Requests - before, $"b={b.Requests - before} percent={server.State.WarmupPercent} up={server.State.Health.IsUp} ew={server.EffectiveWeight} usable={server.IsUsable} fwrr={((Ballast.DataPlane.LoadBalancing.RoundRobinBalancer)Node.Engine.Current.BackendsByName["app"].Balancer).Describe()}");
    }

    [Fact]
    public async Task CheckPort_TcpBackendLikePatroni_OnlyThePrimaryGetsTraffic()
    {
        // Patroni: mode tcp, option httpchk GET /primary, check port 8008 — each database server has a separate
        // HTTP endpoint answering 200 on the primary and 503 on replicas.
        await using var primaryDb = TestTcpServer.Echo("primary");
        await using var replicaDb = TestTcpServer.Echo("replica");
        var primaryApi = await StartBackendAsync("primary-api");
        var replicaApi = await StartBackendAsync("replica-api");
        replicaApi.HealthStatus = 503;
        var port = Ports.GetFreePort();
        var primary = Server("pg1", primaryDb.Port, check: true);
        primary.CheckPort = (uint)primaryApi.Port;
        var replica = Server("pg2", replicaDb.Port, check: true);
        replica.CheckPort = (uint)replicaApi.Port;
        replica.CheckAddr = "127.0.0.1";
        var backend = Backend("pg", primary, replica).WithHttpCheck(interMs: 50, rise: 1, fall: 3, timeoutMs: 3000);
        backend.Mode = V1.Mode.Tcp;
        var frontend = Frontend("pg", "pg", port);
        frontend.Mode = V1.Mode.Tcp;
        await ApplyOkAsync(1, NewConfig([frontend], [backend]));
        var model = Node.Engine.Current.BackendsByName["pg"];
        Assert.True(await Eventually.WaitAsync(() => !model.Servers[1].State.Health.IsUp, TimeSpan.FromSeconds(5)));

        for (var i = 0; i < 6; i++)
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, port);
            await socket.SendAsync(Encoding.ASCII.GetBytes("x"), SocketFlags.None);
            socket.Shutdown(SocketShutdown.Send);
            Assert.Equal("primary\nx", await TestTcpServer.ReadTextToEndAsync(socket, CancellationToken.None));
        }

        Assert.True(await Eventually.WaitAsync(() => primaryDb.Connections == 6, TimeSpan.FromSeconds(5)), $"primary got {primaryDb.Connections}");
        Assert.Equal(0, replicaDb.Connections);
        Assert.True(primaryApi.HealthChecks > 0 && replicaApi.HealthChecks > 0);
    }
}
