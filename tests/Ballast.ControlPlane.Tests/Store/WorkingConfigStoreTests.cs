using Ballast.ControlPlane.Model;
using Ballast.ControlPlane.Store;
using Ballast.ControlPlane.Tests.TestSupport;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Tests.Store;

public sealed class WorkingConfigStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static BackendSpec App(params ServerSpec[] servers) => new()
    {
        Name = "app",
        HealthCheck = new HealthCheckSpec { Type = HealthCheckType.HealthCheckHttp, Method = "GET", Path = "/" },
        Servers = servers,
    };

    private static ServerSpec Server(string name, uint port = 8081) => new() { Name = name, Address = "127.0.0.1", Port = port };

    [Fact]
    public async Task PutFrontend_CreatesThenReplaces_AndNormalizesBinds()
    {
        await using var store = await StoreHarness.CreateAsync();
        var created = await store.Working.PutFrontendAsync(new FrontendSpec { Name = "web", Binds = [":80"], DefaultBackend = "app" }, "alice", None);
        Assert.Equal(EditOutcome.Created, created.Outcome);
        Assert.Equal(["*:80"], created.Value!.Binds);

        var replaced = await store.Working.PutFrontendAsync(new FrontendSpec { Name = "web", Binds = ["127.0.0.1:81"], Maxconn = 5 }, "alice", None);
        Assert.Equal(EditOutcome.Updated, replaced.Outcome);
        var stored = await store.Working.GetFrontendAsync("web", None);
        Assert.Equal(new FrontendSpec { Name = "web", Binds = ["127.0.0.1:81"], Maxconn = 5 }.Binds, stored!.Binds);
        Assert.Equal(5u, stored.Maxconn);
    }

    [Fact]
    public async Task PutFrontend_WithUnparseableBind_StoresNothing()
    {
        await using var store = await StoreHarness.CreateAsync();
        var result = await store.Working.PutFrontendAsync(new FrontendSpec { Name = "web", Binds = ["nonsense"] }, "alice", None);
        Assert.Equal(EditOutcome.Invalid, result.Outcome);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("frontend 'web'", "binds[0]"), (error.Object, error.Field));
        Assert.Empty(await store.Working.ListFrontendsAsync(None));
        Assert.Empty(await store.Audit.ListAsync(10, None));
    }

    [Fact]
    public async Task PutBackend_WithoutServers_KeepsExistingServers()
    {
        await using var store = await StoreHarness.CreateAsync();
        await store.Working.PutBackendAsync(App(Server("s1"), Server("s2")), "alice", None);
        await store.Working.PutBackendAsync(App() with { Servers = null, Balance = Balance.Roundrobin, HealthCheck = new HealthCheckSpec() }, "alice", None);
        var backend = await store.Working.GetBackendAsync("app", None);
        Assert.Equal(["s1", "s2"], backend!.Servers!.Select(s => s.Name));
        Assert.Equal(HealthCheckType.HealthCheckNone, backend.HealthCheck.Type);
    }

    [Fact]
    public async Task PutBackend_WithServers_ReplacesThemInOrder()
    {
        await using var store = await StoreHarness.CreateAsync();
        await store.Working.PutBackendAsync(App(Server("s1"), Server("s2")), "alice", None);
        await store.Working.PutBackendAsync(App(Server("s3"), Server("s1", 9000)), "alice", None);
        var servers = (await store.Working.GetBackendAsync("app", None))!.Servers!;
        Assert.Equal(["s3", "s1"], servers.Select(s => s.Name));
        Assert.Equal(9000u, servers[1].Port);
    }

    [Fact]
    public async Task PutBackend_WithInvalidServer_StoresNothing()
    {
        await using var store = await StoreHarness.CreateAsync();
        var result = await store.Working.PutBackendAsync(App(Server("s1", port: 0)), "alice", None);
        Assert.Equal(EditOutcome.Invalid, result.Outcome);
        Assert.Equal("backend 'app' server 's1': port: must be 1-65535 (got 0)", Assert.Single(result.Errors).ToString());
        Assert.Null(await store.Working.GetBackendAsync("app", None));
    }

    [Fact]
    public async Task PatchServer_ChangesOnlyGivenFields()
    {
        await using var store = await StoreHarness.CreateAsync();
        await store.Working.PutBackendAsync(App(Server("s1") with { Weight = 7, Check = true }), "alice", None);
        var result = await store.Working.PatchServerAsync("app", "s1", new ServerPatch { State = ServerState.Drain }, "bob", None);
        Assert.Equal(EditOutcome.Updated, result.Outcome);
        Assert.Equal(Server("s1") with { Weight = 7, Check = true, State = ServerState.Drain }, result.Value);
    }

    [Fact]
    public async Task PatchServer_OutOfRangeWeight_IsInvalidAndNotStored()
    {
        await using var store = await StoreHarness.CreateAsync();
        await store.Working.PutBackendAsync(App(Server("s1")), "alice", None);
        var result = await store.Working.PatchServerAsync("app", "s1", new ServerPatch { Weight = 300 }, "bob", None);
        Assert.Equal(EditOutcome.Invalid, result.Outcome);
        Assert.Equal("backend 'app' server 's1': weight: must be 0-256 (got 300)", Assert.Single(result.Errors).ToString());
        Assert.Equal(1u, (await store.Working.GetBackendAsync("app", None))!.Servers![0].Weight);
    }

    [Fact]
    public async Task PatchServer_UnknownServerOrBackend_IsNotFound()
    {
        await using var store = await StoreHarness.CreateAsync();
        await store.Working.PutBackendAsync(App(), "alice", None);
        Assert.Equal(EditOutcome.NotFound, (await store.Working.PatchServerAsync("app", "nope", new ServerPatch(), "bob", None)).Outcome);
        Assert.Equal(EditOutcome.NotFound, (await store.Working.PatchServerAsync("nope", "s1", new ServerPatch(), "bob", None)).Outcome);
    }

    [Fact]
    public async Task DeleteBackend_UsedByFrontend_IsConflict()
    {
        await using var store = await StoreHarness.CreateAsync();
        await store.Working.PutBackendAsync(App(), "alice", None);
        await store.Working.PutFrontendAsync(new FrontendSpec { Name = "web", Binds = ["*:80"], DefaultBackend = "app" }, "alice", None);
        var result = await store.Working.DeleteBackendAsync("app", "alice", None);
        Assert.Equal(EditOutcome.Conflict, result.Outcome);
        Assert.Equal("backend 'app': name: is the default backend of frontend 'web'", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public async Task DeleteBackend_RemovesItsServers()
    {
        await using var store = await StoreHarness.CreateAsync();
        await store.Working.PutBackendAsync(App(Server("s1")), "alice", None);
        Assert.True((await store.Working.DeleteBackendAsync("app", "alice", None)).Succeeded);
        await store.Working.PutBackendAsync(App() with { Servers = null }, "alice", None);
        Assert.Empty((await store.Working.GetBackendAsync("app", None))!.Servers!);
    }

    [Fact]
    public async Task EveryChange_IsAudited_WithActorActionAndObject()
    {
        await using var store = await StoreHarness.CreateAsync();
        await store.Working.PutBackendAsync(App(Server("s1")), "alice", None);
        await store.Working.PatchServerAsync("app", "s1", new ServerPatch { Weight = 5 }, "bob", None);
        await store.Working.PutServerAsync("app", Server("s2"), "carol", None);
        await store.Working.DeleteServerAsync("app", "s2", "carol", None);
        var entries = (await store.Audit.ListAsync(10, None)).Reverse().ToArray();
        Assert.Equal(
            [("alice", "backend.create", "backend 'app'"), ("bob", "server.patch", "backend 'app' server 's1'"),
             ("carol", "server.create", "backend 'app' server 's2'"), ("carol", "server.delete", "backend 'app' server 's2'")],
            entries.Select(e => (e.Actor, e.Action, e.Object)));
        Assert.Equal("""{"weight":5}""", entries[1].Detail);
    }

    [Fact]
    public async Task ConfigMessage_HoldsTheWorkingConfigSortedByName()
    {
        await using var store = await StoreHarness.CreateAsync();
        await store.Working.PutBackendAsync(App(Server("s1")) with { Name = "zeta" }, "a", None);
        await store.Working.PutBackendAsync(App(Server("s1")) with { Name = "alpha" }, "a", None);
        await store.Working.PutFrontendAsync(new FrontendSpec { Name = "web", Binds = ["[::1]:8080"], DefaultBackend = "alpha" }, "a", None);
        var errors = new List<Ballast.ControlPlane.Validation.ValidationError>();
        var config = await store.Working.GetConfigMessageAsync(errors, None);
        Assert.Empty(errors);
        Assert.Equal(["alpha", "zeta"], config.Backends.Select(b => b.Name));
        Assert.Equal(("::1", 8080u), (config.Frontends[0].Binds[0].Address, config.Frontends[0].Binds[0].Port));
        Assert.Equal(1u, config.Backends[0].Servers[0].Weight);
    }
}
