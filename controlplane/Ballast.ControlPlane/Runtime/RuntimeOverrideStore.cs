using Ballast.ControlPlane.Model;
using Ballast.ControlPlane.Store;
using Ballast.ControlPlane.Validation;
using Ballast.Proto.V1;
using Microsoft.EntityFrameworkCore;

namespace Ballast.ControlPlane.Runtime;

/// <summary>
/// Persists runtime server overrides and their revision; every change is audited (who, when, what) in the same
/// transaction and raises the revision.
/// </summary>
internal sealed class RuntimeOverrideStore(IDbContextFactory<BallastDbContext> dbFactory, AuditWriter audit, TimeProvider timeProvider)
{
    /// <summary>The stored set.</summary>
    public async Task<RuntimeState> LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var revision = await db.RuntimeRevision.Where(r => r.Id == 1).Select(r => r.Revision).SingleOrDefaultAsync(cancellationToken);
        var rows = await db.RuntimeOverrides.AsNoTracking().ToListAsync(cancellationToken);
        return new RuntimeState(revision, Order(rows.Select(ToRecord)));
    }

    /// <summary>Sets the given members of a server's override (absent members keep their value).</summary>
    public async Task<RuntimeState> SetAsync(string backend, string server, ServerState? state, uint? weight, string actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.RuntimeOverrides.SingleOrDefaultAsync(r => r.Backend == backend && r.Server == server, cancellationToken);
        row ??= db.RuntimeOverrides.Add(new RuntimeOverrideEntity { Backend = backend, Server = server }).Entity;
        if (state is { } newState)
        {
            row.State = HaproxyWords.ToWord(newState);
        }

        if (weight is { } newWeight)
        {
            row.Weight = newWeight;
        }

        row.UpdatedBy = actor;
        row.UpdatedAt = timeProvider.GetUtcNow();
        var revision = await BumpAsync(db, cancellationToken);
        audit.Add(db, actor, "runtime.set", ObjectNames.Server(backend, server), new { revision, state, weight });
        await db.SaveChangesAsync(cancellationToken);
        return await LoadAsync(cancellationToken);
    }

    /// <summary>Removes a server's override; null when it had none.</summary>
    public async Task<RuntimeState?> ClearAsync(string backend, string server, string actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.RuntimeOverrides.SingleOrDefaultAsync(r => r.Backend == backend && r.Server == server, cancellationToken);
        if (row is null)
        {
            return null;
        }

        db.RuntimeOverrides.Remove(row);
        var revision = await BumpAsync(db, cancellationToken);
        audit.Add(db, actor, "runtime.clear", ObjectNames.Server(backend, server), new { revision });
        await db.SaveChangesAsync(cancellationToken);
        return await LoadAsync(cancellationToken);
    }

    /// <summary>Removes the overrides of servers <paramref name="config"/> lacks; null when none were removed.</summary>
    public async Task<RuntimeState?> PruneAsync(Config config, long version, string actor, CancellationToken cancellationToken)
    {
        var present = config.Backends.SelectMany(b => b.Servers.Select(s => (b.Name, s.Name))).ToHashSet();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var gone = (await db.RuntimeOverrides.ToListAsync(cancellationToken)).Where(r => !present.Contains((r.Backend, r.Server))).ToList();
        if (gone.Count == 0)
        {
            return null;
        }

        var revision = await BumpAsync(db, cancellationToken);
        foreach (var row in gone)
        {
            db.RuntimeOverrides.Remove(row);
            audit.Add(db, actor, "runtime.clear", ObjectNames.Server(row.Backend, row.Server), $"server removed by version {version} (runtime revision {revision})");
        }

        await db.SaveChangesAsync(cancellationToken);
        return await LoadAsync(cancellationToken);
    }

    private static async Task<long> BumpAsync(BallastDbContext db, CancellationToken cancellationToken)
    {
        var row = await db.RuntimeRevision.SingleOrDefaultAsync(r => r.Id == 1, cancellationToken);
        row ??= db.RuntimeRevision.Add(new RuntimeRevisionEntity { Id = 1 }).Entity;
        row.Revision++;
        return row.Revision;
    }

    private static RuntimeServerOverride ToRecord(RuntimeOverrideEntity row) => new(
        row.Backend,
        row.Server,
        row.State is null ? null : HaproxyWords.Parse<ServerState>(row.State),
        row.Weight,
        row.UpdatedBy,
        row.UpdatedAt);

    private static RuntimeServerOverride[] Order(IEnumerable<RuntimeServerOverride> items) =>
        [.. items.OrderBy(o => o.Backend, StringComparer.Ordinal).ThenBy(o => o.Server, StringComparer.Ordinal)];
}
