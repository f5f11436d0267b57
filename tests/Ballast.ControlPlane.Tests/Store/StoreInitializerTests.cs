using Ballast.ControlPlane.Store;
using Ballast.ControlPlane.Tests.TestSupport;
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

    private sealed class PooledFactory(string connection) : IDbContextFactory<BallastDbContext>
    {
        public BallastDbContext CreateDbContext() =>
            new(new DbContextOptionsBuilder<BallastDbContext>().UseSqlite(connection).Options);
    }
}
