using Ballast.ControlPlane.Tests.TestSupport;
using Ballast.Dashboard.Services;
using Ballast.Proto.V1;
using Microsoft.Extensions.DependencyInjection;

namespace Ballast.ControlPlane.Tests.Dashboard;

public sealed class DashboardApiTests : IAsyncLifetime
{
    private ControlPlaneHost _host = null!;

    private IDashboardApi Api => _host.App.Services.GetRequiredService<IDashboardApi>();

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void IsValidAdminToken_AcceptsOnlyTheToken()
    {
        Assert.True(Api.IsValidAdminToken(ControlPlaneHost.Token));
        Assert.False(Api.IsValidAdminToken("nope"));
    }

    [Fact]
    public async Task UpdateServer_ChangesWorkingConfig_AndAuditsTheUser()
    {
        await _host.SeedValidConfigAsync();
        await Api.UpdateServerAsync("app", "s1", new ServerEdit(Weight: 7, State: ServerState.Maint), "alice", CancellationToken.None);

        var server = (await Api.GetWorkingConfigAsync(CancellationToken.None)).Backends[0].Servers[0];
        Assert.Equal((7u, ServerState.Maint), (server.Weight, server.State));
        var audit = await _host.GetJsonAsync("/api/v1/audit?limit=1");
        Assert.Equal(("alice", "server.patch"), (audit[0].GetProperty("actor").GetString(), audit[0].GetProperty("action").GetString()));
    }

    [Fact]
    public async Task UpdateServer_OutOfRange_ThrowsWithObjectAndField()
    {
        await _host.SeedValidConfigAsync();
        var error = await Assert.ThrowsAsync<DashboardValidationException>(() =>
            Api.UpdateServerAsync("app", "s1", new ServerEdit(Weight: 300), "alice", CancellationToken.None));
        Assert.Equal(["backend 'app' server 's1': weight: must be 0-256 (got 300)"], error.Errors);
    }

    [Fact]
    public async Task UpdateServer_Unknown_Throws()
    {
        await Assert.ThrowsAsync<DashboardValidationException>(() =>
            Api.UpdateServerAsync("nope", "s1", new ServerEdit(Weight: 1), "alice", CancellationToken.None));
    }

    [Fact]
    public async Task Publish_RecordsTheUserAsAuthor_AndInvalidConfigThrows()
    {
        await _host.SeedValidConfigAsync();
        Assert.Equal(1, await Api.PublishAsync("from dashboard", "alice", CancellationToken.None));
        var version = Assert.Single(await Api.ListVersionsAsync(CancellationToken.None));
        Assert.Equal(("alice", "from dashboard"), (version.Author, version.Message));

        await _host.PutJsonAsync("/api/v1/frontends/web", """{"binds":["127.0.0.1:18080"],"defaultBackend":"gone"}""");
        var error = await Assert.ThrowsAsync<DashboardValidationException>(() => Api.PublishAsync("bad", "alice", CancellationToken.None));
        Assert.Contains("frontend 'web': defaultBackend: backend 'gone' does not exist", error.Errors);
        Assert.Single(await Api.ListVersionsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ListNodesAndFleetStats_ReflectConnectedNodes()
    {
        using var node = await NodeClient.ConnectAsync(_host.NodeUri, "n-dash");
        await node.SendAsync(new NodeMessage { Stats = new StatsReport { Rows = { new StatRow { Pxname = "web", Svname = "FRONTEND", Stot = 4 } } } });
        var stats = await Eventually.WaitAsync(() => Api.GetFleetStatsAsync(CancellationToken.None), s => s.Count == 1, "fleet stats");
        Assert.Equal(4UL, stats[0].Stot);
        var listed = Assert.Single(await Api.ListNodesAsync(CancellationToken.None));
        Assert.Equal(("n-dash", true, "SYNCED"), (listed.NodeId, listed.Connected, listed.Status));
    }
}
