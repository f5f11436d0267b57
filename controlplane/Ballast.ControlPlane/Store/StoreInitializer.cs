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
    /// <remarks>2: balance options, hash-type, timeouts (frontends and backends) and server ids.</remarks>
    public const int SchemaVersion = 2;

    /// <summary>
    /// Version 1 to 2: the columns of the balance algorithms' options, <c>hash-type</c>, the timeouts and server ids,
    /// with the values that mean "HAProxy's default" for existing rows.
    /// </summary>
    private const string UpgradeTo2 = """
        ALTER TABLE Frontends ADD COLUMN TimeoutClientMs INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE Backends ADD COLUMN BalanceParam TEXT NOT NULL DEFAULT '';
        ALTER TABLE Backends ADD COLUMN UriLen INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE Backends ADD COLUMN UriDepth INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE Backends ADD COLUMN UriPathOnly INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE Backends ADD COLUMN UriWhole INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE Backends ADD COLUMN HdrUseDomainOnly INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE Backends ADD COLUMN RandomDraws INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE Backends ADD COLUMN HashType TEXT NOT NULL DEFAULT 'map-based';
        ALTER TABLE Backends ADD COLUMN HashFunction TEXT NOT NULL DEFAULT 'default';
        ALTER TABLE Backends ADD COLUMN HashAvalanche INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE Backends ADD COLUMN TimeoutConnectMs INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE Backends ADD COLUMN TimeoutServerMs INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE Servers ADD COLUMN ServerId INTEGER NOT NULL DEFAULT 0;
        UPDATE SchemaInfo SET Version = 2 WHERE Id = 1;
        """;

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

        // Upgrade steps from older schema versions, each in its own transaction.
        if (version == 1)
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync(UpgradeTo2, cancellationToken);
            await tx.CommitAsync(cancellationToken);
            logger.LogInformation("Store schema upgraded from version 1 to 2");
            version = 2;
        }

        await DataPlaneOptionColumns.AddMissingAsync(db, cancellationToken);
        await Layer7Columns.AddMissingAsync(db, cancellationToken);
        await AccessLogColumns.AddMissingAsync(db, cancellationToken);
        await ProxyHeaderColumns.AddMissingAsync(db, cancellationToken);
        await Runtime.RuntimeTables.AddMissingAsync(db, cancellationToken);
        await CertificateColumns.AddMissingAsync(db, cancellationToken);
        logger.LogInformation("Store ready ({State}, schema version {Version})", created ? "created" : "opened", version);
    }
}
