using Ballast.ControlPlane.Declarative;
using Ballast.ControlPlane.Model;
using Ballast.ControlPlane.Store;
using Ballast.ControlPlane.Validation;
using Ballast.HaproxyConfig.Import;

namespace Ballast.ControlPlane.Haproxy;

/// <summary>
/// Imports a haproxy.cfg into the working configuration (<see cref="HaproxyImporter"/>): frontends and backends
/// replace the working objects of the same names (others are kept), or the whole working configuration with
/// <c>replace</c>. Nothing is stored when the file has errors or an imported value breaks a field rule; nothing is
/// published. The file sees no environment variables of the control plane (<c>"${VAR}"</c> reads as unset).
/// </summary>
internal sealed class HaproxyImportService(ConfigWriter writer, WorkingConfigStore store, ILogger<HaproxyImportService> logger)
{
    /// <summary>Audit action of an import.</summary>
    public const string AuditAction = "import.haproxy";

    /// <summary>Imports <paramref name="text"/>; see the class remarks.</summary>
    /// <param name="text">The haproxy.cfg content.</param>
    /// <param name="dryRun">Only report: nothing is stored.</param>
    /// <param name="replace">Replace the whole working configuration instead of the objects with the same names.</param>
    /// <param name="actor">Who, for the audit log.</param>
    /// <param name="cancellationToken">Cancels the store write.</param>
    public async Task<ImportResponse> ImportAsync(string text, bool dryRun, bool replace, string actor, CancellationToken cancellationToken)
    {
        var result = HaproxyImporter.Import(text);
        var report = result.Report;
        // The file cannot carry certificates: the stored ones are kept (null), its crt/ca-file names are listed.
        var imported = SpecMapping.FromProto(result.Config) with { Certificates = null };
        var certificates = ImportCertificates.Check(report, (await store.GetConfigAsync(cancellationToken, withKeys: true)).Certificates ?? []);
        var certificateWarnings = ImportCertificates.Warnings(report, certificates).ToArray();
        var errors = report.OfSeverity(FindingSeverity.Error)
            .Select(f => new ValidationError($"line {f.Line} column {f.Column}{(f.Section.Length > 0 ? $" ({f.Section})" : string.Empty)}", f.Keyword.Length > 0 ? f.Keyword : "syntax", f.Reason))
            .ToList();
        var changes = (IReadOnlyList<ConfigChange>)[];
        if (errors.Count == 0)
        {
            var write = await writer.WriteAsync(
                imported,
                replace ? ReplaceScope.Everything : ReplaceScope.SameNames,
                dryRun,
                actor,
                AuditAction,
                changed => new ImportAudit(replace, Summarize(report, imported, 0), changed),
                cancellationToken);
            errors.AddRange(write.Errors);
            if (write.Succeeded)
            {
                imported = write.Written;
                changes = write.Changes;
            }
        }

        var summary = Summarize(report, imported, errors.Count);
        summary = summary with { Warnings = summary.Warnings + certificateWarnings.Length };
        logger.LogInformation(
            "{Actor} imported a haproxy.cfg ({Mode}): {Frontends} frontend(s), {Backends} backend(s), {Servers} server(s), " +
            "{Unsupported} unsupported, {Ignored} ignored, {Warnings} warning(s), {Errors} error(s)",
            actor, errors.Count > 0 ? "rejected" : dryRun ? "dry run" : replace ? "replacing the working config" : "replacing same names",
            summary.Frontends, summary.Backends, summary.Servers, summary.Unsupported, summary.Ignored, summary.Warnings, summary.Errors);
        return new ImportResponse(
            dryRun,
            summary,
            report.Findings.Select(ImportFindingResponse.From).Concat(certificateWarnings).OrderBy(f => f.Line).ThenBy(f => f.Column).ToArray(),
            imported,
            changes,
            errors)
        {
            Certificates = certificates,
        };
    }

    private static ImportSummary Summarize(ImportReport report, ConfigSpec config, int errors) => new(
        config.Frontends.Count,
        config.Backends.Count,
        config.Backends.Sum(b => b.Servers?.Count ?? 0),
        report.Mapped.Count,
        report.OfSeverity(FindingSeverity.Unsupported).Count(),
        report.OfSeverity(FindingSeverity.Ignored).Count(),
        report.OfSeverity(FindingSeverity.Warning).Count(),
        errors);

    /// <summary>Audit detail of an import.</summary>
    /// <param name="Replace">Whether the whole working configuration was replaced.</param>
    /// <param name="Imported">Counts of the import.</param>
    /// <param name="Changes">Counts of the changes.</param>
    private sealed record ImportAudit(bool Replace, ImportSummary Imported, ChangeSummary Changes);
}
