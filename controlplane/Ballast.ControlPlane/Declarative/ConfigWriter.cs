using Ballast.ControlPlane.Model;
using Ballast.ControlPlane.Store;
using Ballast.ControlPlane.Validation;

namespace Ballast.ControlPlane.Declarative;

/// <summary>Outcome of a bulk write of the working configuration.</summary>
/// <param name="Errors">Field errors; when any, nothing was written and the other members are empty.</param>
/// <param name="Written">The written objects as the store keeps them (canonical binds, server lists set).</param>
/// <param name="Changes">Differences from the previous working configuration.</param>
/// <param name="Summary">Counts of the resulting configuration and of the changes.</param>
internal sealed record ConfigWriteResult(
    IReadOnlyList<ValidationError> Errors, ConfigSpec Written, IReadOnlyList<ConfigChange> Changes, ChangeSummary Summary)
{
    /// <summary>Whether the write passed the field rules (and was stored, unless a dry run).</summary>
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Writes many objects into the working configuration at once (declarative apply, haproxy.cfg import): checks
/// every field first (<see cref="WorkingConfigRules"/>), then replaces in one transaction with one audit entry and
/// reports the diff against the previous working configuration. A dry run only reads. Nothing is published.
/// </summary>
internal sealed class ConfigWriter(WorkingConfigStore store, TimeProvider timeProvider, ILogger<ConfigWriter> logger)
{
    /// <summary>Checks and (unless <paramref name="dryRun"/>) writes <paramref name="config"/>.</summary>
    /// <param name="config">The objects to write.</param>
    /// <param name="scope">Replace the whole working configuration, or only the objects with the same names.</param>
    /// <param name="dryRun">Only compute the diff.</param>
    /// <param name="actor">Who, for the audit log.</param>
    /// <param name="action">Audit action (<c>apply</c>, <c>import.haproxy</c>).</param>
    /// <param name="detail">Audit detail made from the change summary.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task<ConfigWriteResult> WriteAsync<TDetail>(
        ConfigSpec config,
        ReplaceScope scope,
        bool dryRun,
        string actor,
        string action,
        Func<ChangeSummary, TDetail> detail,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<CertificateSpec> stored = config.Certificates is null ? [] : (await store.GetConfigAsync(cancellationToken, withKeys: true)).Certificates ?? [];
        config = config with { Certificates = CertificateWrite.WithStoredKeys(config.Certificates, stored) };
        var errors = WorkingConfigRules.Check(config, out var canonical).ToList();
        CertificateWrite.Check(config.Certificates, timeProvider.GetUtcNow(), errors);
        canonical = canonical with { Certificates = config.Certificates };
        if (errors.Count > 0)
        {
            logger.LogInformation("{Action} by {Actor} rejected with {Count} field error(s): {Errors}", action, actor, errors.Count, string.Join("; ", errors));
            return new ConfigWriteResult(errors, new ConfigSpec(), [], new ChangeSummary(0, 0, 0, 0, 0, 0));
        }

        if (dryRun)
        {
            return Compare(await store.GetConfigAsync(cancellationToken, withKeys: true), canonical, scope);
        }

        ConfigWriteResult? result = null;
        await store.ReplaceAsync(canonical, scope, actor, action, previous => detail((result = Compare(previous, canonical, scope)).Summary), cancellationToken);
        return result!;
    }

    private static ConfigWriteResult Compare(ConfigSpec previous, ConfigSpec written, ReplaceScope scope)
    {
        var after = ConfigMerge.Apply(previous, written, scope);
        var changes = ConfigDiff.Compare(previous, after);
        var summary = new ChangeSummary(
            after.Frontends.Count,
            after.Backends.Count,
            after.Backends.Sum(b => b.Servers?.Count ?? 0),
            changes.Count(c => c.Op == ConfigChange.Add),
            changes.Count(c => c.Op == ConfigChange.Remove),
            changes.Count(c => c.Op == ConfigChange.Change));
        return new ConfigWriteResult([], written with { Certificates = CertificateWrite.Redacted(written.Certificates) }, changes, summary);
    }
}
