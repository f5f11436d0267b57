using Ballast.ControlPlane.Store;
using Ballast.ControlPlane.Tests.TestSupport;
using Ballast.Proto.V1;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Ballast.ControlPlane.Tests.Store;

public sealed class VersionStoreTests
{
    private static Config SampleConfig(string backend = "app") => new() { Backends = { new Backend { Name = backend } } };

    [Fact]
    public async Task Create_NumbersVersionsMonotonicallyFromOne()
    {
        await using var store = await StoreHarness.CreateAsync();
        var v1 = await store.Versions.CreateAsync(SampleConfig("a"), "alice", "first", CancellationToken.None);
        store.Time.Advance(TimeSpan.FromMinutes(1));
        var v2 = await store.Versions.CreateAsync(SampleConfig("b"), "bob", "second", CancellationToken.None);
        var v3 = await store.Versions.CreateAsync(SampleConfig("c"), "bob", "third", CancellationToken.None);

        Assert.Equal([1L, 2L, 3L], [v1.Version, v2.Version, v3.Version]);
        Assert.Equal([3L, 2L, 1L], (await store.Versions.ListAsync(CancellationToken.None)).Select(v => v.Version));
        Assert.Equal(store.Time.GetUtcNow() - TimeSpan.FromMinutes(1), v1.CreatedAt);
        Assert.Equal(store.Time.GetUtcNow(), v2.CreatedAt);
    }

    [Fact]
    public async Task Get_ReturnsTheSnapshotAsPublished()
    {
        await using var store = await StoreHarness.CreateAsync();
        var info = await store.Versions.CreateAsync(SampleConfig("exact"), "alice", "msg", CancellationToken.None);
        var detail = await store.Versions.GetAsync(info.Version, CancellationToken.None);

        Assert.NotNull(detail);
        Assert.Equal(SampleConfig("exact"), detail.Config);
        Assert.Equal(("alice", "msg"), (detail.Info.Author, detail.Info.Message));
        Assert.Equal(64, detail.Info.Hash.Length);
        Assert.Null(await store.Versions.GetAsync(99, CancellationToken.None));
    }

    [Fact]
    public async Task GetLatest_IsNullBeforeFirstPublish_ThenTheNewest()
    {
        await using var store = await StoreHarness.CreateAsync();
        Assert.Null(await store.Versions.GetLatestAsync(CancellationToken.None));
        await store.Versions.CreateAsync(SampleConfig("a"), "x", "", CancellationToken.None);
        await store.Versions.CreateAsync(SampleConfig("b"), "x", "", CancellationToken.None);
        Assert.Equal(2, (await store.Versions.GetLatestAsync(CancellationToken.None))!.Info.Version);
    }

    [Fact]
    public async Task VersionRows_CannotBeModifiedThroughEf()
    {
        await using var store = await StoreHarness.CreateAsync();
        await store.Versions.CreateAsync(SampleConfig(), "alice", "orig", CancellationToken.None);
        await using var db = await store.OpenDbAsync();
        var row = await db.ConfigVersions.SingleAsync();
        row.Message = "tampered";
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        db.ConfigVersions.Remove(await db.ConfigVersions.SingleAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task VersionRows_CannotBeModifiedWithRawSql()
    {
        await using var store = await StoreHarness.CreateAsync();
        await store.Versions.CreateAsync(SampleConfig(), "alice", "orig", CancellationToken.None);
        await using var db = await store.OpenDbAsync();
        var update = await Assert.ThrowsAsync<SqliteException>(() => db.Database.ExecuteSqlRawAsync("UPDATE ConfigVersions SET Message = 'x'"));
        Assert.Contains("immutable", update.Message);
        await Assert.ThrowsAsync<SqliteException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM ConfigVersions"));
        Assert.Equal("orig", (await store.Versions.GetAsync(1, CancellationToken.None))!.Info.Message);
    }

    [Fact]
    public async Task Create_WritesAPublishAuditEntry()
    {
        await using var store = await StoreHarness.CreateAsync();
        await store.Versions.CreateAsync(SampleConfig(), "alice", "why", CancellationToken.None);
        var entry = Assert.Single(await store.Audit.ListAsync(10, CancellationToken.None));
        Assert.Equal(("alice", "publish", "version 1", "why"), (entry.Actor, entry.Action, entry.Object, entry.Detail));
    }
}
