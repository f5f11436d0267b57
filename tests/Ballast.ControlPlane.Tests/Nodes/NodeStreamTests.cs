using System.Net;
using System.Text.Json;
using Ballast.ControlPlane.Tests.TestSupport;
using Ballast.Proto.Grpc;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Tests.Nodes;

public sealed class NodeStreamTests : IAsyncLifetime
{
    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>The node as listed by the API, or <c>{"status":"ABSENT","connected":false}</c> before its Hello registered.</summary>
    private async Task<JsonElement> NodeAsync(string nodeId)
    {
        using var response = await _host.Client.GetAsync($"/api/v1/nodes/{nodeId}");
        return response.StatusCode == HttpStatusCode.NotFound
            ? JsonDocument.Parse("""{"status":"ABSENT","connected":false}""").RootElement
            : JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private Task<JsonElement> WaitForStatusAsync(string nodeId, string status) =>
        Eventually.WaitAsync(() => NodeAsync(nodeId), n => n.GetProperty("status").GetString() == status, $"node {nodeId} {status}");

    [Fact]
    public async Task Hello_ReceivesLatestVersionAsSnapshot()
    {
        var version = await _host.SeedAndPublishAsync();
        using var node = await NodeClient.ConnectAsync(_host.NodeUri, "n1");
        var snapshot = await node.ReadSnapshotAsync();

        Assert.Equal((ulong)version, snapshot.Version);
        Assert.False(string.IsNullOrEmpty(snapshot.Nonce));
        Assert.Equal("web", snapshot.Config.Frontends.Single().Name);
        Assert.Equal(8081u, snapshot.Config.Backends.Single().Servers.Single().Port);
    }

    [Fact]
    public async Task Hello_RegistersNodeAsConnected_WithLabelsHostAndVersion()
    {
        using var node = await NodeClient.ConnectAsync(_host.NodeUri, "n-reg");
        var listed = await Eventually.WaitAsync(() => NodeAsync("n-reg"), n => n.GetProperty("connected").GetBoolean(), "registration");
        Assert.Equal("test-host", listed.GetProperty("hostname").GetString());
        Assert.Equal("0.1.0-test", listed.GetProperty("softwareVersion").GetString());
        Assert.Equal("a", listed.GetProperty("labels").GetProperty("zone").GetString());
        Assert.Equal("SYNCED", listed.GetProperty("status").GetString());

        var all = await _host.GetJsonAsync("/api/v1/nodes");
        Assert.Contains(all.EnumerateArray(), n => n.GetProperty("nodeId").GetString() == "n-reg");
    }

    [Fact]
    public async Task Ack_WithCurrentNonce_MarksNodeSynced()
    {
        var version = await _host.SeedAndPublishAsync();
        using var node = await NodeClient.ConnectAsync(_host.NodeUri, "n-ack");
        var snapshot = await node.ReadSnapshotAsync();
        Assert.Equal("STALE", (await WaitForStatusAsync("n-ack", "STALE")).GetProperty("status").GetString());

        await node.AckAsync(snapshot);
        var synced = await WaitForStatusAsync("n-ack", "SYNCED");
        Assert.Equal(version, synced.GetProperty("appliedVersion").GetInt64());
        Assert.True(synced.GetProperty("lastError").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task Nack_MarksNodeRejected_WithError()
    {
        await _host.SeedAndPublishAsync();
        using var node = await NodeClient.ConnectAsync(_host.NodeUri, "n-nack");
        var snapshot = await node.ReadSnapshotAsync();
        await node.NackAsync(snapshot, "bind 127.0.0.1:18080: address in use", applied: 0);

        var rejected = await WaitForStatusAsync("n-nack", "REJECTED");
        Assert.Equal("bind 127.0.0.1:18080: address in use", rejected.GetProperty("lastError").GetString());
        Assert.Equal(0, rejected.GetProperty("appliedVersion").GetInt64());
        Assert.Equal(1, rejected.GetProperty("lastNackVersion").GetInt64());
    }

    [Fact]
    public async Task AckOfANewerVersion_AfterNack_ClearsTheError()
    {
        await _host.SeedAndPublishAsync();
        using var node = await NodeClient.ConnectAsync(_host.NodeUri, "n-recover");
        await node.NackAsync(await node.ReadSnapshotAsync(), "port in use", applied: 0);
        await WaitForStatusAsync("n-recover", "REJECTED");
        using (var publish = await _host.PublishAsync("fixed"))
        {
            Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
        }

        await node.AckAsync(await node.ReadSnapshotAsync());
        var synced = await WaitForStatusAsync("n-recover", "SYNCED");
        Assert.Equal(JsonValueKind.Null, synced.GetProperty("lastError").ValueKind);
        Assert.Equal(1, synced.GetProperty("lastNackVersion").GetInt64());
    }

    [Fact]
    public async Task Publish_IsPushedToConnectedNode()
    {
        await _host.SeedAndPublishAsync();
        using var node = await NodeClient.ConnectAsync(_host.NodeUri, "n-push");
        await node.AckAsync(await node.ReadSnapshotAsync());
        await WaitForStatusAsync("n-push", "SYNCED");

        using (var patch = await _host.PatchJsonAsync("/api/v1/backends/app/servers/s1", """{"state":"drain"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        }

        using (var publish = await _host.PublishAsync("drain s1"))
        {
            Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
        }

        var pushed = await node.ReadSnapshotAsync();
        Assert.Equal(2UL, pushed.Version);
        Assert.Equal(ServerState.Drain, pushed.Config.Backends[0].Servers[0].State);
        await WaitForStatusAsync("n-push", "STALE");
        await node.AckAsync(pushed);
        Assert.Equal(2, (await WaitForStatusAsync("n-push", "SYNCED")).GetProperty("appliedVersion").GetInt64());
    }

    [Fact]
    public async Task Publish_ReachesEveryConnectedNode_EvenWhenOneNeverReads()
    {
        await _host.SeedValidConfigAsync();
        using var slow = await NodeClient.ConnectAsync(_host.NodeUri, "n-slow");
        using var fast = await NodeClient.ConnectAsync(_host.NodeUri, "n-fast");
        await Eventually.WaitAsync(() => _host.GetJsonAsync("/api/v1/nodes"), n => n.GetArrayLength() == 2, "two nodes");
        for (var i = 0; i < 5; i++)
        {
            using var publish = await _host.PublishAsync($"v{i + 1}");
            Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
        }

        // The fast node sees versions in increasing order and ends on the latest; older unsent ones may be skipped.
        ulong last = 0;
        while (last < 5)
        {
            var snapshot = await fast.ReadSnapshotAsync();
            Assert.True(snapshot.Version > last);
            last = snapshot.Version;
        }
    }

    [Fact]
    public async Task Ack_WithStaleNonce_IsIgnored()
    {
        await _host.SeedAndPublishAsync();
        using var node = await NodeClient.ConnectAsync(_host.NodeUri, "n-stale");
        var first = await node.ReadSnapshotAsync();
        using (var publish = await _host.PublishAsync("v2"))
        {
            Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
        }

        var second = await node.ReadSnapshotAsync();
        Assert.NotEqual(first.Nonce, second.Nonce);
        await node.AckAsync(first);
        await node.NackAsync(first, "late nack", applied: 0);
        await node.SendAsync(new NodeMessage { Stats = new StatsReport() });
        await Eventually.WaitAsync(() => _host.GetJsonAsync("/api/v1/stats"), s => s.GetProperty("nodes").GetArrayLength() == 1, "stats after stale replies");
        var state = await NodeAsync("n-stale");
        Assert.Equal(("STALE", 0L), (state.GetProperty("status").GetString(), state.GetProperty("appliedVersion").GetInt64()));
        Assert.Equal(JsonValueKind.Null, state.GetProperty("lastError").ValueKind);

        await node.AckAsync(second);
        Assert.Equal(2, (await WaitForStatusAsync("n-stale", "SYNCED")).GetProperty("appliedVersion").GetInt64());
    }

    [Fact]
    public async Task Hello_WithLatestAlreadyApplied_GetsNoSnapshot_AndIsSynced()
    {
        var version = await _host.SeedAndPublishAsync();
        var hash = (await _host.GetJsonAsync($"/api/v1/versions/{version}")).GetProperty("hash").GetString()!;
        using var node = await NodeClient.ConnectAsync(_host.NodeUri, "n-cached", appliedVersion: (ulong)version, appliedConfigHash: hash);
        Assert.Equal(version, (await WaitForStatusAsync("n-cached", "SYNCED")).GetProperty("appliedVersion").GetInt64());

        using (var publish = await _host.PublishAsync("v2"))
        {
            Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
        }

        Assert.Equal((ulong)version + 1, (await node.ReadSnapshotAsync()).Version);
    }

    [Fact]
    public async Task Hello_WithTheLatestVersionNumberButOtherContent_IsSentTheSnapshotAgain()
    {
        // A node whose cache came from another control-plane database: same version number, different config.
        var version = await _host.SeedAndPublishAsync();
        using var node = await NodeClient.ConnectAsync(_host.NodeUri, "n-foreign", appliedVersion: (ulong)version, appliedConfigHash: new string('0', 64));

        var snapshot = await node.ReadSnapshotAsync();
        Assert.Equal(0, (await WaitForStatusAsync("n-foreign", "STALE")).GetProperty("appliedVersion").GetInt64());

        Assert.Equal((ulong)version, snapshot.Version);
        await node.AckAsync(snapshot);
        Assert.Equal(version, (await WaitForStatusAsync("n-foreign", "SYNCED")).GetProperty("appliedVersion").GetInt64());
    }

    [Fact]
    public async Task NodeClaimingTheNextVersionNumberWithOtherContent_IsStaleWhenThatVersionIsPublished()
    {
        // The node connects before this (fresh) control plane has published anything, claiming version 1 of
        // another database; when our version 1 is published it is not SYNCED until it ACKs ours.
        using var node = await NodeClient.ConnectAsync(_host.NodeUri, "n-early", appliedVersion: 1, appliedConfigHash: new string('0', 64));
        await WaitForStatusAsync("n-early", "STALE");

        var version = await _host.SeedAndPublishAsync();
        var snapshot = await node.ReadSnapshotAsync();

        Assert.Equal((1L, 1UL), (version, snapshot.Version));
        Assert.Equal(0, (await WaitForStatusAsync("n-early", "STALE")).GetProperty("appliedVersion").GetInt64());
        await node.AckAsync(snapshot);
        Assert.Equal(1, (await WaitForStatusAsync("n-early", "SYNCED")).GetProperty("appliedVersion").GetInt64());
    }

    [Fact]
    public async Task FirstMessageNotHello_FailsWithInvalidArgument()
    {
        using var node = NodeClient.Open(_host.NodeUri, "n-bad");
        await node.SendAsync(new NodeMessage { Ack = new Ack { Version = 1, Nonce = "x" } });
        var error = await node.ReadUntilErrorAsync();
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("Hello", error.Status.Detail);
    }

    [Fact]
    public async Task HelloWithoutNodeId_FailsWithInvalidArgument()
    {
        using var node = NodeClient.Open(_host.NodeUri, "");
        await node.SendAsync(new NodeMessage { Hello = new Hello() });
        Assert.Equal(StatusCode.InvalidArgument, (await node.ReadUntilErrorAsync()).StatusCode);
    }

    [Fact]
    public async Task SameNodeIdConnectingTwice_NewerStreamWins_OlderIsAborted()
    {
        await _host.SeedAndPublishAsync();
        using var older = await NodeClient.ConnectAsync(_host.NodeUri, "n-dup");
        await older.ReadSnapshotAsync();
        using var newer = await NodeClient.ConnectAsync(_host.NodeUri, "n-dup");
        var snapshot = await newer.ReadSnapshotAsync();

        var closed = await older.ReadUntilErrorAsync();
        Assert.Equal(StatusCode.Aborted, closed.StatusCode);
        Assert.Contains("newer stream", closed.Status.Detail);

        await newer.AckAsync(snapshot);
        var state = await WaitForStatusAsync("n-dup", "SYNCED");
        Assert.True(state.GetProperty("connected").GetBoolean());
        Assert.Single((await _host.GetJsonAsync("/api/v1/nodes")).EnumerateArray(), n => n.GetProperty("nodeId").GetString() == "n-dup");
    }

    [Fact]
    public async Task ClosedStream_MarksNodeDisconnected()
    {
        using (var node = await NodeClient.ConnectAsync(_host.NodeUri, "n-gone"))
        {
            await Eventually.WaitAsync(() => NodeAsync("n-gone"), n => n.GetProperty("connected").GetBoolean(), "connected");
            await node.Call.RequestStream.CompleteAsync();
        }

        var gone = await WaitForStatusAsync("n-gone", "DISCONNECTED");
        Assert.False(gone.GetProperty("connected").GetBoolean());
    }

    [Fact]
    public async Task Stats_AreKeptPerNode_AndSummedOverTheFleet()
    {
        using var a = await NodeClient.ConnectAsync(_host.NodeUri, "n-stats-a");
        using var b = await NodeClient.ConnectAsync(_host.NodeUri, "n-stats-b");
        await a.SendAsync(Stats(stot: 10, status: "UP"));
        await b.SendAsync(Stats(stot: 32, status: "DOWN"));

        var stats = await Eventually.WaitAsync(() => _host.GetJsonAsync("/api/v1/stats"), s => s.GetProperty("nodes").GetArrayLength() == 2, "stats of two nodes");
        var fleet = Assert.Single(stats.GetProperty("fleet").EnumerateArray());
        Assert.Equal(42UL, fleet.GetProperty("stot").GetUInt64());
        Assert.Equal(6UL, fleet.GetProperty("hrsp2xx").GetUInt64());
        Assert.Equal("UP/DOWN", fleet.GetProperty("status").GetString());
        Assert.Equal("server", fleet.GetProperty("type").GetString());
        Assert.Equal("n-stats-a", stats.GetProperty("nodes")[0].GetProperty("nodeId").GetString());

        static NodeMessage Stats(ulong stot, string status) => new()
        {
            Stats = new StatsReport
            {
                TimestampMs = 1,
                Rows = { new StatRow { Pxname = "app", Svname = "s1", Type = StatType.Server, Stot = stot, Hrsp2Xx = 3, Status = status } },
            },
        };
    }
}
