using Ballast.ControlPlane.Model;
using Ballast.ControlPlane.Store;
using Ballast.ControlPlane.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ballast.ControlPlane.Tests.AccessLog;

public sealed class AccessLogStoreTests
{
    private static FrontendSpec Web() => new()
    {
        Name = "web",
        Binds = ["127.0.0.1:18080"],
        DefaultBackend = "app",
        Logs = ["127.0.0.1:514 len 1024 format rfc5424 local0 info", "stdout format raw daemon"],
        OptionHttplog = true,
        OptionDontlognull = true,
        LogFormat = "%ci %ST",
    };

    [Fact]
    public async Task PutFrontend_PersistsTheLogSettings()
    {
        await using var store = await StoreHarness.CreateAsync();
        Assert.True((await store.Working.PutFrontendAsync(Web(), "test", CancellationToken.None)).Succeeded);
        var stored = await store.Working.GetFrontendAsync("web", CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(Web().Logs, stored.Logs);
        Assert.Equal((true, false, true, "%ci %ST"), (stored.OptionHttplog, stored.OptionTcplog, stored.OptionDontlognull, stored.LogFormat));
    }

    [Fact]
    public async Task DatabaseWithoutTheLogColumn_GetsIt_KeepingRowsWithoutLogs()
    {
        await using var store = await StoreHarness.CreateAsync();
        Assert.True((await store.Working.PutFrontendAsync(Web() with { Logs = [], OptionHttplog = false, OptionDontlognull = false, LogFormat = "" }, "test", CancellationToken.None)).Succeeded);
        string connection;
        await using (var db = await store.OpenDbAsync())
        {
            connection = db.Database.GetDbConnection().ConnectionString;
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE Frontends DROP COLUMN LogJson");
        }

        await new StoreInitializer(new Factory(connection), TimeProvider.System, NullLogger<StoreInitializer>.Instance).InitializeAsync(CancellationToken.None);

        var upgraded = await store.Working.GetFrontendAsync("web", CancellationToken.None);
        Assert.NotNull(upgraded);
        Assert.Equal((0, false, ""), (upgraded.Logs.Count, upgraded.OptionHttplog, upgraded.LogFormat));
        Assert.True((await store.Working.PutFrontendAsync(Web(), "test", CancellationToken.None)).Succeeded);
        Assert.Equal(2, (await store.Working.GetFrontendAsync("web", CancellationToken.None))!.Logs.Count);
    }

    private sealed class Factory(string connection) : IDbContextFactory<BallastDbContext>
    {
        public BallastDbContext CreateDbContext() =>
            new(new DbContextOptionsBuilder<BallastDbContext>().UseSqlite(connection).Options);
    }
}
