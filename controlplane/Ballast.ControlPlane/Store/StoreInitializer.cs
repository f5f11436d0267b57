using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Ballast.ControlPlane.Store;

/// <summary>
/// Creates or opens the database: <c>EnsureCreated</c> for a new file (EF migration tooling is not available),
/// then a schema-version row checked on every start, WAL journaling, and triggers that make published versions
/// immutable in the database itself.
/// </summary>
internal sealed class StoreInitializer(IDbContextFactory<BallastDbContext> dbFactory, TimeProvider timeProvider, ILogger<StoreInitializer> logger)
{
    /// <summary>Schema version this build writes. Raise it and add an upgrade step when the model changes.</summary>
    public const int SchemaVersion = 1;

    private const string ImmutableVersionTriggers = """
        CREATE TRIGGER IF NOT EXISTS ConfigVersions_NoUpdate BEFORE UPDATE ON ConfigVersions
        BEGIN SELECT RAISE(ABORT, 'config versions are immutable'); END;
        CREATE TRIGGER IF NOT EXISTS ConfigVersions_NoDelete BEFORE DELETE ON ConfigVersions
        BEGIN SELECT RAISE(ABORT, 'config versions are immutable'); END;
        """;

    /// <summary>Creates or checks the schema.</summary>
    /// <exception cref="InvalidOperationException">The file is not a Ballast database or is from a newer version.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var created = await db.Database.EnsureCreatedAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);

        int? version;
        try
        {
            await db.Database.ExecuteSqlRawAsync(ImmutableVersionTriggers, cancellationToken);
            version = await db.SchemaInfo.Where(s => s.Id == 1).Select(s => (int?)s.Version).SingleOrDefaultAsync(cancellationToken);
        }
        catch (SqliteException ex)
        {
            throw new InvalidOperationException($"{db.Database.GetDbConnection().DataSource} is not a Ballast database: {ex.Message}", ex);
        }

        if (version is null)
        {
            db.SchemaInfo.Add(new SchemaInfoEntity { Id = 1, Version = SchemaVersion, AppliedAt = timeProvider.GetUtcNow() });
            await db.SaveChangesAsync(cancellationToken);
            version = SchemaVersion;
        }

        if (version > SchemaVersion)
        {
            throw new InvalidOperationException(
                $"The database schema is version {version}, newer than this control plane's ({SchemaVersion}); upgrade the control plane.");
        }

        // Upgrade steps from older schema versions go here (none yet: version 1 is the first).
        logger.LogInformation("Store ready ({State}, schema version {Version})", created ? "created" : "opened", version);
    }
}
