using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Ballast.ControlPlane.Store;

/// <summary>What the control plane remembers about a node across restarts.</summary>
/// <param name="NodeId">Node id.</param>
/// <param name="Labels">Labels from Hello.</param>
/// <param name="Hostname">Host name from Hello.</param>
/// <param name="SoftwareVersion">Software version from Hello.</param>
/// <param name="FirstSeen">First Hello, UTC.</param>
/// <param name="LastSeen">Last message, UTC.</param>
/// <param name="AppliedVersion">Version the node serves (0 = none).</param>
/// <param name="LastAckVersion">Last ACKed version.</param>
/// <param name="LastNackVersion">Last NACKed version.</param>
/// <param name="LastError">Error detail of the last NACK.</param>
internal sealed record NodeRecord(
    string NodeId,
    IReadOnlyDictionary<string, string> Labels,
    string Hostname,
    string SoftwareVersion,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    long AppliedVersion,
    long LastAckVersion,
    long LastNackVersion,
    string? LastError);

/// <summary>Persistence of <see cref="NodeRecord"/>s.</summary>
internal sealed class NodeStore(IDbContextFactory<BallastDbContext> dbFactory)
{
    /// <summary>All known nodes.</summary>
    public async Task<IReadOnlyList<NodeRecord>> LoadAllAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Nodes.AsNoTracking().OrderBy(n => n.NodeId).ToListAsync(cancellationToken);
        return rows.Select(r => new NodeRecord(
            r.NodeId,
            JsonSerializer.Deserialize<Dictionary<string, string>>(r.LabelsJson) ?? [],
            r.Hostname,
            r.SoftwareVersion,
            r.FirstSeen,
            r.LastSeen,
            r.AppliedVersion,
            r.LastAckVersion,
            r.LastNackVersion,
            r.LastError)).ToArray();
    }

    /// <summary>Inserts or updates a node.</summary>
    public async Task SaveAsync(NodeRecord node, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Nodes.SingleOrDefaultAsync(n => n.NodeId == node.NodeId, cancellationToken);
        row ??= db.Nodes.Add(new NodeEntity { NodeId = node.NodeId }).Entity;
        row.LabelsJson = JsonSerializer.Serialize(node.Labels);
        row.Hostname = node.Hostname;
        row.SoftwareVersion = node.SoftwareVersion;
        row.FirstSeen = node.FirstSeen;
        row.LastSeen = node.LastSeen;
        row.AppliedVersion = node.AppliedVersion;
        row.LastAckVersion = node.LastAckVersion;
        row.LastNackVersion = node.LastNackVersion;
        row.LastError = node.LastError;
        await db.SaveChangesAsync(cancellationToken);
    }
}
