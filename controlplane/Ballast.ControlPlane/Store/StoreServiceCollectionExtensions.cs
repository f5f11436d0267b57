using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Ballast.ControlPlane.Store;

/// <summary>Registers the control plane's store: the SQLite context factory, audit, working config, versions and nodes.</summary>
internal static class StoreServiceCollectionExtensions
{
    /// <summary>Adds the store services over the SQLite database at <paramref name="databasePath"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="databasePath">Path of the SQLite file (created by <see cref="StoreInitializer"/>).</param>
    /// <param name="busyTimeoutSeconds">SQLite busy timeout, seconds.</param>
    public static IServiceCollection AddBallastStore(this IServiceCollection services, string databasePath, int busyTimeoutSeconds = 30)
    {
        var connection = new SqliteConnectionStringBuilder { DataSource = databasePath, DefaultTimeout = busyTimeoutSeconds }.ToString();
        services.AddDbContextFactory<BallastDbContext>(db => db.UseSqlite(connection));
        services.AddSingleton<AuditWriter>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<WorkingConfigStore>();
        services.AddSingleton<CertificateStore>();
        services.AddSingleton<VersionStore>();
        services.AddSingleton<NodeStore>();
        services.AddSingleton<StoreInitializer>();
        return services;
    }
}
