using Ballast.ControlPlane.Model;
using Ballast.ControlPlane.Store;
using Ballast.ControlPlane.Tests.TestSupport;
using Ballast.Proto.V1;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ballast.ControlPlane.Tests.Store;

public sealed class StoreInitializerTests
{
    [Fact]
    public async Task NewDatabase_UsesWalAndRecordsSchemaVersion()
    {
        await using var store = await StoreHarness.CreateAsync();
        await using var db = await store.OpenDbAsync();
        var mode = await db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync();
        Assert.Equal("wal", Assert.Single(mode));
        Assert.Equal(StoreInitializer.SchemaVersion, (await db.SchemaInfo.SingleAsync()).Version);
    }

    [Fact]
    public async Task Reopening_KeepsData()
    {
        await using var store = await StoreHarness.CreateAsync();
        await store.Versions.CreateAsync(new Ballast.Proto.V1.Config(), "a", "m", CancellationToken.None);
        await using (var db = await store.OpenDbAsync())
        {
            var factory = new PooledFactory(db.Database.GetDbConnection().ConnectionString);
            await new StoreInitializer(factory, TimeProvider.System, NullLogger<StoreInitializer>.Instance).InitializeAsync(CancellationToken.None);
        }

        Assert.Single(await store.Versions.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task DatabaseFromNewerSchema_IsRefused()
    {
        await using var store = await StoreHarness.CreateAsync();
        string connection;
        await using (var db = await store.OpenDbAsync())
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE SchemaInfo SET Version = 99");
            connection = db.Database.GetDbConnection().ConnectionString;
        }

        var init = new StoreInitializer(new PooledFactory(connection), TimeProvider.System, NullLogger<StoreInitializer>.Instance);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => init.InitializeAsync(CancellationToken.None));
        Assert.Contains("newer", error.Message);
    }

    [Fact]
    public async Task SchemaVersion1Database_IsUpgraded_KeepingRowsWithDefaults()
    {
        await using var store = await StoreHarness.CreateAsync();
        var backend = new BackendSpec { Name = "app", Servers = [new() { Name = "s1", Address = "127.0.0.1", Port = 8081 }] };
        Assert.True((await store.Working.PutBackendAsync(backend, "test", CancellationToken.None)).Succeeded);
        string connection;

        // Turn the file back into a version 1 database: without the columns version 2 added.
        await using (var db = await store.OpenDbAsync())
        {
            connection = db.Database.GetDbConnection().ConnectionString;
            foreach (var (table, column) in new[]
            {
                ("Frontends", "TimeoutClientMs"), ("Backends", "BalanceParam"), ("Backends", "UriLen"), ("Backends", "UriDepth"),
                ("Backends", "UriPathOnly"), ("Backends", "UriWhole"), ("Backends", "HdrUseDomainOnly"), ("Backends", "RandomDraws"),
                ("Backends", "HashType"), ("Backends", "HashFunction"), ("Backends", "HashAvalanche"), ("Backends", "TimeoutConnectMs"),
                ("Backends", "TimeoutServerMs"), ("Servers", "ServerId"),
            })
            {
                var drop = "ALTER TABLE " + table + " DROP COLUMN " + column;
                await db.Database.ExecuteSqlRawAsync(drop);
            }

            await db.Database.ExecuteSqlRawAsync("UPDATE SchemaInfo SET Version = 1");
        }

        await new StoreInitializer(new PooledFactory(connection), TimeProvider.System, NullLogger<StoreInitializer>.Instance).InitializeAsync(CancellationToken.None);

        await using (var db = await store.OpenDbAsync())
        {
            Assert.Equal(2, (await db.SchemaInfo.SingleAsync()).Version);
        }

        var upgraded = await store.Working.GetBackendAsync("app", CancellationToken.None);
        Assert.NotNull(upgraded);
        Assert.Equal((HashType.MapBased, HashFunction.Default, string.Empty, 0u, 0u), (upgraded.HashType, upgraded.HashFunction, upgraded.BalanceParam, upgraded.TimeoutServerMs, upgraded.Servers![0].Id));
        var changed = upgraded with { Balance = Balance.Uri, HashType = HashType.Consistent, UriDepth = 2 };
        Assert.True((await store.Working.PutBackendAsync(changed, "test", CancellationToken.None)).Succeeded);
        Assert.Equal(2u, (await store.Working.GetBackendAsync("app", CancellationToken.None))!.UriDepth);
    }

    private sealed class PooledFactory(string connection) : IDbContextFactory<BallastDbContext>
    {
        public BallastDbContext CreateDbContext() =>
            new(new DbContextOptionsBuilder<BallastDbContext>().UseSqlite(connection).Options);
    }
}
