using Microsoft.EntityFrameworkCore;

namespace Ballast.ControlPlane.Store;

/// <summary>One audit entry.</summary>
/// <param name="Id">Monotonic id.</param>
/// <param name="Time">When, UTC.</param>
/// <param name="Actor">Who.</param>
/// <param name="Action">What, e.g. <c>server.patch</c>.</param>
/// <param name="Object">Which object.</param>
/// <param name="Detail">New value as JSON, or a message.</param>
internal sealed record AuditRecord(long Id, DateTimeOffset Time, string Actor, string Action, string Object, string Detail);

/// <summary>Reads the audit log; entries of changes are written by the stores in the change's transaction (<see cref="AuditWriter"/>).</summary>
internal sealed class AuditLog(IDbContextFactory<BallastDbContext> dbFactory, AuditWriter writer)
{
    /// <summary>Writes an entry on its own (for events that change nothing else, e.g. a rejected publish).</summary>
    public async Task AppendAsync(string actor, string action, string obj, string detail, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        writer.Add(db, actor, action, obj, detail);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The newest <paramref name="limit"/> entries, newest first.</summary>
    public async Task<IReadOnlyList<AuditRecord>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.AuditEntries.AsNoTracking()
            .OrderByDescending(a => a.Id)
            .Take(limit)
            .Select(a => new AuditRecord(a.Id, a.Time, a.Actor, a.Action, a.Object, a.Detail))
            .ToListAsync(cancellationToken);
    }
}
