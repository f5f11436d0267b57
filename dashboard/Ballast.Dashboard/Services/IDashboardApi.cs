using Ballast.Proto.V1;

namespace Ballast.Dashboard.Services;

/// <summary>
/// What the dashboard needs from the control plane. Implemented by the control plane (which hosts the
/// dashboard) over its store, publisher and fleet registry; the dashboard never touches the store directly.
/// </summary>
public interface IDashboardApi
{
    /// <summary>Whether <paramref name="token"/> is the admin token (constant-time comparison). Used by the login page.</summary>
    bool IsValidAdminToken(string token);

    /// <summary>The working (editable, not yet published) configuration.</summary>
    Task<Config> GetWorkingConfigAsync(CancellationToken cancellationToken);

    /// <summary>Changes one server of the working configuration.</summary>
    /// <exception cref="DashboardValidationException">The backend or server does not exist, or a value is out of range.</exception>
    Task UpdateServerAsync(string backend, string server, ServerEdit edit, string author, CancellationToken cancellationToken);

    /// <summary>Validates and publishes the working configuration as a new version and streams it to every node.</summary>
    /// <exception cref="DashboardValidationException">The configuration is invalid; nothing was published.</exception>
    Task<long> PublishAsync(string message, string author, CancellationToken cancellationToken);

    /// <summary>
    /// The latest published version and its configuration, or null before the first publish. The dashboard compares
    /// it with the working configuration to flag unpublished changes (per server and overall).
    /// </summary>
    /// <remarks>
    /// The default implementation knows only the version number (from <see cref="ListVersionsAsync"/>) and returns a
    /// null <see cref="PublishedConfig.Config"/>; the dashboard then only flags the edits made in the current browser
    /// session. Implement it to return the published configuration.
    /// </remarks>
    async Task<PublishedConfig?> GetLatestPublishedAsync(CancellationToken cancellationToken)
    {
        var versions = await ListVersionsAsync(cancellationToken).ConfigureAwait(false);
        return versions.Count == 0 ? null : new PublishedConfig(versions[0].Version, null);
    }

    /// <summary>Published versions, newest first.</summary>
    Task<IReadOnlyList<VersionSummary>> ListVersionsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Imports a haproxy.cfg: with <paramref name="dryRun"/> only reports; otherwise, when it has no errors, its frontends
    /// and backends replace the working objects of the same names (others are kept) or, with
    /// <paramref name="replaceAll"/>, the whole working configuration. Nothing is published.
    /// </summary>
    /// <param name="text">The haproxy.cfg content.</param>
    /// <param name="dryRun">Only report; store nothing.</param>
    /// <param name="replaceAll">Replace the whole working configuration.</param>
    /// <param name="author">Recorded in the audit log.</param>
    /// <param name="cancellationToken">Cancels the import.</param>
    /// <returns>The report; errors are in <see cref="ImportPreview.Errors"/> (nothing stored then), not thrown.</returns>
    Task<ImportPreview> ImportHaproxyAsync(string text, bool dryRun, bool replaceAll, string author, CancellationToken cancellationToken);

    /// <summary>Known nodes with their sync state.</summary>
    Task<IReadOnlyList<NodeSummary>> ListNodesAsync(CancellationToken cancellationToken);

    /// <summary>Latest live stats rows (HAProxy <c>show stat</c> fields) summed over all connected nodes.</summary>
    Task<IReadOnlyList<StatRow>> GetFleetStatsAsync(CancellationToken cancellationToken);
}

/// <summary>A change to a server; null members are left as they are.</summary>
/// <param name="Weight">New weight, 0-256.</param>
/// <param name="State">New administrative state.</param>
/// <param name="Maxconn">New maxconn, 0 = unlimited.</param>
public sealed record ServerEdit(uint? Weight = null, ServerState? State = null, uint? Maxconn = null);

/// <summary>The latest published version.</summary>
/// <param name="Version">Its version number.</param>
/// <param name="Config">Its configuration, or null when the implementation does not provide it.</param>
public sealed record PublishedConfig(long Version, Config? Config);

/// <summary>One published configuration version.</summary>
/// <param name="Version">Monotonic version number.</param>
/// <param name="Author">Who published it.</param>
/// <param name="CreatedAt">When, UTC.</param>
/// <param name="Message">Publish message.</param>
public sealed record VersionSummary(long Version, string Author, DateTimeOffset CreatedAt, string Message);

/// <summary>One node as the control plane sees it.</summary>
/// <param name="NodeId">Node id given with <c>--node-id</c>.</param>
/// <param name="Labels">Labels given with <c>--labels</c>.</param>
/// <param name="Connected">Whether its stream is open now.</param>
/// <param name="AppliedVersion">Last version it ACKed (0 = none).</param>
/// <param name="LastSeen">Last message received, UTC.</param>
/// <param name="Status">SYNCED (applied the latest version), STALE (behind), REJECTED (NACKed the latest) or DISCONNECTED.</param>
/// <param name="LastError">Error detail of the last NACK, if any.</param>
/// <param name="SoftwareVersion">The node's software version.</param>
public sealed record NodeSummary(
    string NodeId,
    IReadOnlyDictionary<string, string> Labels,
    bool Connected,
    long AppliedVersion,
    DateTimeOffset LastSeen,
    string Status,
    string? LastError,
    string SoftwareVersion);

/// <summary>Raised when an edit or a publish is rejected; each error names the object and field.</summary>
/// <param name="errors">Errors such as <c>backend 'web' server 's1': weight: must be 0-256 (got 300)</c>.</param>
public sealed class DashboardValidationException(IReadOnlyList<string> errors)
    : Exception(string.Join("; ", errors))
{
    /// <summary>The individual errors.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}
