using System.Net;
using System.Text.Json;
using Ballast.ControlPlane.Tests.TestSupport;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Tests.Runtime;

public sealed class RuntimeStreamTests : IAsyncLifetime
{
    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static async Task<RuntimeUpdate> ReadRuntimeAsync(NodeClient node)
    {
        var message = await node.ReadAsync();
        Assert.Equal(ControlMessage.KindOneofCase.RuntimeUpdate, message.KindCase);
        return message.RuntimeUpdate;
    }

    private Task<JsonElement> NodeStatusAsync(string nodeId, Func<JsonElement, bool> condition, string what) =>
        Eventually.WaitAsync(
            async () => (await _host.GetJsonAsync("/api/v1/runtime/servers")).GetProperty("nodes").EnumerateArray()
                .FirstOrDefault(n => n.GetProperty("nodeId").GetString() == nodeId),
            n => n.ValueKind == JsonValueKind.Object && condition(n),
            what);

    [Fact]
    public async Task Put_IsSentToConnectedNode_AndItsAckShowsApplied()
    {
        await _host.SeedAndPublishAsync();
        using var node = await NodeClient.ConnectAsync(_host.NodeUri, "rt-1");
        var snapshot = await node.ReadSnapshotAsync();
        await node.AckAsync(snapshot);

        using (var put = await _host.PutJsonAsync("/api/v1/runtime/backends/app/servers/s1", """{"state":"drain","weight":4}"""))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var update = await ReadRuntimeAsync(node);
        Assert.Equal(1ul, update.Revision);
        var item = update.Overrides.Single();
        Assert.Equal(("app", "s1", ServerState.Drain, 4u), (item.Backend, item.Server, item.State, item.Weight));
        Assert.True(item.HasState && item.HasWeight);
        await NodeStatusAsync("rt-1", n => n.GetProperty("sentRevision").GetInt64() == 1 && !n.GetProperty("applied").GetBoolean(), "sent, not applied");

        await node.SendAsync(new NodeMessage { RuntimeAck = new RuntimeAck { Revision = update.Revision, Nonce = update.Nonce } });
        var applied = await NodeStatusAsync("rt-1", n => n.GetProperty("applied").GetBoolean(), "applied");
        Assert.Equal(1, applied.GetProperty("appliedRevision").GetInt64());
    }

    [Fact]
    public async Task Reconnect_ReceivesSnapshotThenOverrides()
    {
        await _host.SeedAndPublishAsync();
        using (var put = await _host.PutJsonAsync("/api/v1/runtime/backends/app/servers/s1", """{"state":"maint"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using var node = await NodeClient.ConnectAsync(_host.NodeUri, "rt-2");
        var first = await node.ReadAsync();
        Assert.Equal(ControlMessage.KindOneofCase.Snapshot, first.KindCase);
        var update = await ReadRuntimeAsync(node);
        Assert.Equal(ServerState.Maint, update.Overrides.Single().State);
        Assert.False(update.Overrides.Single().HasWeight);
    }

    [Fact]
    public async Task NewStreamOfSameNode_ShowsNotAppliedUntilItAcksTheOverridesSentAgain()
    {
        // A restarted node process holds no override: the ACK of its previous stream must not count.
        await _host.SeedAndPublishAsync();
        using (var put = await _host.PutJsonAsync("/api/v1/runtime/backends/app/servers/s1", """{"state":"drain"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using (var first = await NodeClient.ConnectAsync(_host.NodeUri, "rt-4"))
        {
            await first.AckAsync(await first.ReadSnapshotAsync());
            var update = await ReadRuntimeAsync(first);
            await first.SendAsync(new NodeMessage { RuntimeAck = new RuntimeAck { Revision = update.Revision, Nonce = update.Nonce } });
            await NodeStatusAsync("rt-4", n => n.GetProperty("applied").GetBoolean(), "applied on the first stream");
        }

        using var second = await NodeClient.ConnectAsync(_host.NodeUri, "rt-4");
        await second.AckAsync(await second.ReadSnapshotAsync());
        var again = await ReadRuntimeAsync(second);
        var pending = await NodeStatusAsync("rt-4", n => n.GetProperty("connected").GetBoolean() && n.GetProperty("sentRevision").GetInt64() == 1, "sent on the second stream");
        Assert.False(pending.GetProperty("applied").GetBoolean());

        await second.SendAsync(new NodeMessage { RuntimeAck = new RuntimeAck { Revision = again.Revision, Nonce = again.Nonce } });
        await NodeStatusAsync("rt-4", n => n.GetProperty("applied").GetBoolean(), "applied on the second stream");
    }

    [Fact]
    public async Task Nack_ShowsErrorAndNotApplied_StaleNonceIgnored()
    {
        await _host.SeedAndPublishAsync();
        using var node = await NodeClient.ConnectAsync(_host.NodeUri, "rt-3");
        await node.AckAsync(await node.ReadSnapshotAsync());
        using (var put = await _host.PutJsonAsync("/api/v1/runtime/backends/app/servers/s1", """{"weight":2}"""))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var update = await ReadRuntimeAsync(node);
        await node.SendAsync(new NodeMessage { RuntimeAck = new RuntimeAck { Revision = update.Revision, Nonce = "stale" } });
        await node.SendAsync(new NodeMessage { RuntimeNack = new RuntimeNack { Revision = update.Revision, Nonce = update.Nonce, ErrorDetail = "boom", AppliedRevision = 0 } });
        var status = await NodeStatusAsync("rt-3", n => n.GetProperty("lastError").ValueKind == JsonValueKind.String, "nack recorded");
        Assert.Equal("boom", status.GetProperty("lastError").GetString());
        Assert.False(status.GetProperty("applied").GetBoolean());
        Assert.Equal(0, status.GetProperty("appliedRevision").GetInt64());
    }
}
