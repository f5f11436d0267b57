using Ballast.ControlPlane.Fleet;
using Ballast.ControlPlane.Haproxy;
using Ballast.ControlPlane.Hosting;
using Ballast.ControlPlane.Model;
using Ballast.ControlPlane.Publishing;
using Ballast.ControlPlane.Store;
using Ballast.ControlPlane.Validation;
using Ballast.Dashboard.Services;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Dashboard;

/// <summary>The dashboard's view of the control plane, over the same services as the admin API.</summary>
internal sealed class DashboardApi(
    AdminToken adminToken,
    WorkingConfigStore working,
    ConfigPublisher publisher,
    VersionStore versions,
    FleetRegistry fleet,
    HaproxyImportService haproxyImport) : IDashboardApi
{
    /// <inheritdoc />
    public bool IsValidAdminToken(string token) => adminToken.Matches(token);

    /// <inheritdoc />
    public async Task<Config> GetWorkingConfigAsync(CancellationToken cancellationToken) =>
        await working.GetConfigMessageAsync([], cancellationToken);

    /// <inheritdoc />
    public async Task UpdateServerAsync(string backend, string server, ServerEdit edit, string author, CancellationToken cancellationToken)
    {
        var patch = new ServerPatch { Weight = edit.Weight, State = edit.State, Maxconn = edit.Maxconn };
        var result = await working.PatchServerAsync(backend, server, patch, author, cancellationToken);
        if (!result.Succeeded)
        {
            throw Rejected(result.Errors);
        }
    }

    /// <inheritdoc />
    public async Task<long> PublishAsync(string message, string author, CancellationToken cancellationToken)
    {
        var result = await publisher.PublishAsync(message, author, cancellationToken);
        return result.Version?.Version ?? throw Rejected(result.Errors);
    }

    /// <inheritdoc />
    public async Task<PublishedConfig?> GetLatestPublishedAsync(CancellationToken cancellationToken)
    {
        var latest = await versions.GetLatestAsync(cancellationToken);
        return latest is null ? null : new PublishedConfig(latest.Info.Version, latest.Config);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<VersionSummary>> ListVersionsAsync(CancellationToken cancellationToken) =>
        (await versions.ListAsync(cancellationToken)).Select(v => new VersionSummary(v.Version, v.Author, v.CreatedAt, v.Message)).ToArray();

    /// <inheritdoc />
    public async Task<ImportPreview> ImportHaproxyAsync(string text, bool dryRun, bool replaceAll, string author, CancellationToken cancellationToken)
    {
        var response = await haproxyImport.ImportAsync(text, dryRun, replaceAll, author, cancellationToken);
        var errors = new List<ValidationError>();
        var config = new Config();
        config.Frontends.Add(response.Config.Frontends.Select(f => SpecMapping.ToProto(f, ObjectNames.Frontend(f.Name), errors)));
        config.Backends.Add(response.Config.Backends.Select(b => SpecMapping.ToProto(b, b.Servers ?? [])));
        var s = response.Summary;
        return new ImportPreview(
            response.DryRun,
            new ImportCounts(s.Frontends, s.Backends, s.Servers, s.Mapped, s.Unsupported, s.Ignored, s.Warnings, s.Errors),
            response.Findings.Select(f => new ImportFindingRow(f.Line, f.Column, f.Section, f.Keyword, f.Severity, f.Reason)).ToArray(),
            config,
            response.Changes.Select(c => c.Field is null ? $"{c.Op} {c.Object}" : $"{c.Op} {c.Object}: {c.Field} {c.From} \u2192 {c.To}").ToArray(),
            response.Errors.Select(e => e.ToString()).ToArray());
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<NodeSummary>> ListNodesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<NodeSummary>>(fleet.ListNodes().Select(n => new NodeSummary(
            n.Record.NodeId,
            n.Record.Labels,
            n.Connected,
            n.Record.AppliedVersion,
            n.Record.LastSeen,
            n.StatusText,
            n.Record.LastError,
            n.Record.SoftwareVersion)).ToArray());

    /// <inheritdoc />
    public Task<IReadOnlyList<StatRow>> GetFleetStatsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(fleet.GetStats().Fleet);

    private static DashboardValidationException Rejected(IEnumerable<ValidationError> errors) =>
        new(errors.Select(e => e.ToString()).ToArray());
}
