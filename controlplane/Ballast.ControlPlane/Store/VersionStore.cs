using System.Security.Cryptography;
using Ballast.Proto.V1;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;

namespace Ballast.ControlPlane.Store;

/// <summary>Summary of a published version.</summary>
/// <param name="Version">Monotonic number.</param>
/// <param name="Author">Who published it.</param>
/// <param name="CreatedAt">When, UTC.</param>
/// <param name="Message">Publish message.</param>
/// <param name="Hash">SHA-256 of the serialized snapshot (hex).</param>
internal sealed record VersionInfo(long Version, string Author, DateTimeOffset CreatedAt, string Message, string Hash);

/// <summary>A published version with its configuration.</summary>
/// <param name="Info">Summary.</param>
/// <param name="Config">The configuration; treat as read-only.</param>
internal sealed record VersionDetail(VersionInfo Info, Config Config);

/// <summary>Published configuration versions: append-only, immutable, numbered 1, 2, 3...</summary>
internal sealed class VersionStore(IDbContextFactory<BallastDbContext> dbFactory, AuditWriter audit, TimeProvider timeProvider)
{
    /// <summary>Stores <paramref name="config"/> as the next version, with its audit entry, in one transaction.</summary>
    public async Task<VersionInfo> CreateAsync(Config config, string author, string message, CancellationToken cancellationToken)
    {
        var snapshot = config.ToByteArray();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var next = (await db.ConfigVersions.MaxAsync(v => (long?)v.Number, cancellationToken) ?? 0) + 1;
        var entity = new ConfigVersionEntity
        {
            Number = next,
            Author = author,
            CreatedAt = timeProvider.GetUtcNow(),
            Message = message,
            Snapshot = snapshot,
            Hash = Convert.ToHexStringLower(SHA256.HashData(snapshot)),
        };
        db.ConfigVersions.Add(entity);
        audit.Add(db, author, "publish", $"version {next}", message);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return ToInfo(entity);
    }

    /// <summary>All versions, newest first.</summary>
    public async Task<IReadOnlyList<VersionInfo>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ConfigVersions.AsNoTracking()
            .OrderByDescending(v => v.Number)
            .Select(v => new VersionInfo(v.Number, v.Author, v.CreatedAt, v.Message, v.Hash))
            .ToListAsync(cancellationToken);
    }

    /// <summary>One version with its configuration, or null.</summary>
    public async Task<VersionDetail?> GetAsync(long version, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entity = await db.ConfigVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Number == version, cancellationToken);
        return entity is null ? null : new VersionDetail(ToInfo(entity), Config.Parser.ParseFrom(entity.Snapshot));
    }

    /// <summary>The latest version, or null when nothing was published yet.</summary>
    public async Task<VersionDetail?> GetLatestAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var latest = await db.ConfigVersions.MaxAsync(v => (long?)v.Number, cancellationToken);
        return latest is null ? null : await GetAsync(latest.Value, cancellationToken);
    }

    private static VersionInfo ToInfo(ConfigVersionEntity e) => new(e.Number, e.Author, e.CreatedAt, e.Message, e.Hash);
}
