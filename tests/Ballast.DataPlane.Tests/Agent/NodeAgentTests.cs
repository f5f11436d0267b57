using Google.Protobuf;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Agent;

public sealed class NodeAgentTests : IAsyncLifetime
{
    private readonly FakeControlPlane _controlPlane = new();
    private TestNode _node = null!;
    private TestBackend _backend = null!;

    public async Task InitializeAsync()
    {
        _node = TestNode.Create();
        _backend = await TestBackend.StartAsync("a");
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _backend.DisposeAsync();
    }

    private V1.Config ValidConfig(int port) =>
        NewConfig([Frontend("web", "app", port)], [Backend("app", Server("a", _backend.Port))]);

    [Fact]
    public async Task Session_SendsHelloFirst_ThenAcksAppliedSnapshot()
    {
        var agent = _node.CreateAgent(_controlPlane);
        using var stop = new CancellationTokenSource();
        var run = agent.RunSessionAsync(stop.Token);
        var session = await _controlPlane.NextSessionAsync();

        var hello = await session.ReceiveAsync();
        Assert.Equal(V1.NodeMessage.KindOneofCase.Hello, hello.KindCase);
        Assert.Equal("test-node", hello.Hello.NodeId);
        Assert.Equal(0UL, hello.Hello.AppliedVersion);
        Assert.False(string.IsNullOrEmpty(hello.Hello.SoftwareVersion));

        var port = Ports.GetFreePort();
        session.Send(new V1.Snapshot { Version = 7, Nonce = "n-1", Config = ValidConfig(port) });
        var ack = await session.ReceiveAsync();

        Assert.Equal(V1.NodeMessage.KindOneofCase.Ack, ack.KindCase);
        Assert.Equal(7UL, ack.Ack.Version);
        Assert.Equal("n-1", ack.Ack.Nonce);
        Assert.Equal(7UL, _node.Engine.AppliedVersion);
        using var client = new HttpClient();
        Assert.Equal("a", await client.GetStringAsync($"http://127.0.0.1:{port}/"));

        session.End();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(session.Disposed);
    }

    [Fact]
    public async Task Session_RejectedSnapshot_NacksWithAppliedVersion()
    {
        var agent = _node.CreateAgent(_controlPlane);
        using var stop = new CancellationTokenSource();
        var run = agent.RunSessionAsync(stop.Token);
        var session = await _controlPlane.NextSessionAsync();
        await session.ReceiveAsync();
        session.Send(new V1.Snapshot { Version = 1, Nonce = "a", Config = ValidConfig(Ports.GetFreePort()) });
        Assert.Equal(V1.NodeMessage.KindOneofCase.Ack, (await session.ReceiveAsync()).KindCase);

        var tcp = ValidConfig(Ports.GetFreePort());
        tcp.Frontends[0].Mode = V1.Mode.Tcp;
        session.Send(new V1.Snapshot { Version = 2, Nonce = "b", Config = tcp });
        var nack = await session.ReceiveAsync();

        Assert.Equal(V1.NodeMessage.KindOneofCase.Nack, nack.KindCase);
        Assert.Equal(2UL, nack.Nack.Version);
        Assert.Equal("b", nack.Nack.Nonce);
        Assert.Equal(1UL, nack.Nack.AppliedVersion);
        Assert.Contains("default_backend 'app' has mode http, frontend has mode tcp", nack.Nack.ErrorDetail);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Session_SendsStatsReportsPeriodically()
    {
        var agent = _node.CreateAgent(_controlPlane, statsInterval: TimeSpan.FromMilliseconds(50));
        using var stop = new CancellationTokenSource();
        var run = agent.RunSessionAsync(stop.Token);
        var session = await _controlPlane.NextSessionAsync();
        await session.ReceiveAsync();
        session.Send(new V1.Snapshot { Version = 3, Nonce = "x", Config = ValidConfig(Ports.GetFreePort()) });
        await session.ReceiveAsync();

        V1.NodeMessage stats;
        do
        {
            stats = await session.ReceiveAsync(skipStats: false);
        }
        while (stats.KindCase != V1.NodeMessage.KindOneofCase.Stats || stats.Stats.AppliedVersion != 3);

        Assert.Contains(stats.Stats.Rows, r => r.Pxname == "web" && r.Svname == "FRONTEND" && r.Status == "OPEN");
        Assert.Contains(stats.Stats.Rows, r => r.Pxname == "app" && r.Svname == "a" && r.Type == V1.StatType.Server);
        Assert.True(stats.Stats.TimestampMs > 0);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task RuntimeOverrides_PersistedAndReloadedAtStart_KeepAServerInMaintWithoutControlPlane()
    {
        var port = Ports.GetFreePort();
        var agent = _node.CreateAgent(_controlPlane);
        await agent.HandleSnapshotAsync(new V1.Snapshot { Version = 5, Nonce = "n", Config = ValidConfig(port) }, CancellationToken.None);
        var update = new V1.RuntimeUpdate { Revision = 3, Nonce = "r3" };
        update.Overrides.Add(new V1.ServerOverride { Backend = "app", Server = "a", State = V1.ServerState.Maint });
        Assert.Equal(V1.NodeMessage.KindOneofCase.RuntimeAck, (await agent.HandleRuntimeUpdateAsync(update, CancellationToken.None)).KindCase);
        var dataDir = _node.DataDir;
        await _node.Engine.DisposeAsync();

        await using var restarted = TestNode.Create(dataDir);
        Assert.True(await restarted.CreateAgent(new FakeControlPlane()).RestoreCachedSnapshotAsync(CancellationToken.None));

        // As HAProxy's server-state file: the only server stays in MAINT, so the restarted node answers 503.
        Assert.Equal(3UL, restarted.Engine.RuntimeRevision);
        using var client = new HttpClient();
        using var response = await client.GetAsync($"http://127.0.0.1:{port}/");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task Snapshot_PersistedAndReloadedAtStart_ServesWithoutControlPlane()
    {
        var port = Ports.GetFreePort();
        var agent = _node.CreateAgent(_controlPlane);
        var reply = await agent.HandleSnapshotAsync(new V1.Snapshot { Version = 5, Nonce = "n", Config = ValidConfig(port) }, CancellationToken.None);
        Assert.Equal(V1.NodeMessage.KindOneofCase.Ack, reply.KindCase);
        Assert.True(File.Exists(Path.Combine(_node.DataDir, "snapshot.pb")));
        Assert.Empty(Directory.GetFiles(_node.DataDir, "*.tmp"));
        var dataDir = _node.DataDir;
        await _node.Engine.DisposeAsync(); // the old node stops; its bind is released

        await using var restarted = TestNode.Create(dataDir);
        var restartedAgent = restarted.CreateAgent(new FakeControlPlane());
        Assert.True(await restartedAgent.RestoreCachedSnapshotAsync(CancellationToken.None));

        Assert.Equal(5UL, restarted.Engine.AppliedVersion);
        Assert.Equal(5UL, restartedAgent.CreateHello().AppliedVersion);
        // The hash the control plane gives a version: SHA-256 of the config's encoding, so it can tell a cache
        // from another control-plane database with the same version number.
        var expectedHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(ValidConfig(port).ToByteArray()));
        Assert.Equal(expectedHash, restartedAgent.CreateHello().AppliedConfigHash);
        using var client = new HttpClient();
        Assert.Equal("a", await client.GetStringAsync($"http://127.0.0.1:{port}/"));
    }

    [Fact]
    public async Task Snapshot_SameVersionResent_AckedWithoutReapplying()
    {
        var agent = _node.CreateAgent(_controlPlane);
        var config = ValidConfig(Ports.GetFreePort());
        await agent.HandleSnapshotAsync(new V1.Snapshot { Version = 4, Nonce = "1", Config = config }, CancellationToken.None);
        var model = _node.Engine.Current;

        var reply = await agent.HandleSnapshotAsync(new V1.Snapshot { Version = 4, Nonce = "2", Config = config.Clone() }, CancellationToken.None);

        Assert.Equal("2", reply.Ack.Nonce);
        Assert.Same(model, _node.Engine.Current);
    }
}
