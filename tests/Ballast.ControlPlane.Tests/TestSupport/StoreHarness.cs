using Ballast.ControlPlane.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ballast.ControlPlane.Tests.TestSupport;

/// <summary>The store services over a SQLite file in a temp folder, without the web host.</summary>
internal sealed class StoreHarness : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ServiceProvider _services;

    private StoreHarness(ManualTimeProvider time)
    {
        Time = time;
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(time);
        services.AddBallastStore(DatabasePath);
        _services = services.BuildServiceProvider();
    }

    public ManualTimeProvider Time { get; }

    public string DatabasePath => Path.Combine(_dir.Path, "ballast.db");

    public WorkingConfigStore Working => _services.GetRequiredService<WorkingConfigStore>();

    public VersionStore Versions => _services.GetRequiredService<VersionStore>();

    public AuditLog Audit => _services.GetRequiredService<AuditLog>();

    public NodeStore Nodes => _services.GetRequiredService<NodeStore>();

    public static async Task<StoreHarness> CreateAsync()
    {
        var harness = new StoreHarness(new ManualTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)));
        await harness._services.GetRequiredService<StoreInitializer>().InitializeAsync(CancellationToken.None);
        return harness;
    }

    public async Task<BallastDbContext> OpenDbAsync() =>
        await _services.GetRequiredService<IDbContextFactory<BallastDbContext>>().CreateDbContextAsync();

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
