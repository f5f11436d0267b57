using Ballast.ControlPlane.Fleet;
using Ballast.ControlPlane.Store;
using Ballast.ControlPlane.Validation;

namespace Ballast.ControlPlane.Publishing;

/// <summary>Outcome of a publish: the new version, or why nothing was published.</summary>
/// <param name="Version">The stored version, when published.</param>
/// <param name="Errors">Validation errors, when not.</param>
internal sealed record PublishResult(VersionInfo? Version, IReadOnlyList<ValidationError> Errors);

/// <summary>
/// Publishes the working configuration: validates it fully (<see cref="ConfigValidator.ValidateConfig"/>), stores it
/// as the next immutable version and hands it to the fleet for streaming. An invalid configuration stores nothing
/// and sends nothing. Publishes are serialized so versions reach nodes in order. Runtime server overrides survive
/// a publish, except those of servers the new version no longer has.
/// </summary>
internal sealed class ConfigPublisher(
    WorkingConfigStore working,
    VersionStore versions,
    AuditLog audit,
    FleetRegistry fleet,
    Runtime.RuntimeOverrideService runtime,
    ILogger<ConfigPublisher> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Publishes the working configuration as <paramref name="author"/>.</summary>
    public async Task<PublishResult> PublishAsync(string message, string author, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var errors = new List<ValidationError>();
            var config = await working.GetConfigMessageAsync(errors, cancellationToken);
            errors.AddRange(ConfigValidator.ValidateConfig(config));
            if (errors.Count > 0)
            {
                logger.LogWarning("Publish by {Author} rejected with {Count} error(s): {Errors}", author, errors.Count, string.Join("; ", errors));
                await audit.AppendAsync(author, "publish.rejected", "working config", string.Join("\n", errors), cancellationToken);
                return new PublishResult(null, errors);
            }

            var version = await versions.CreateAsync(config, author, message, cancellationToken);
            fleet.Publish(new PublishedSnapshot(version.Version, config, version.Hash));
            await runtime.PruneAsync(config, version.Version, author, cancellationToken); // overrides of removed servers end
            logger.LogInformation(
                "{Author} published version {Version} ({Frontends} frontend(s), {Backends} backend(s), hash {Hash}): {Message}",
                author, version.Version, config.Frontends.Count, config.Backends.Count, version.Hash[..12], message);
            return new PublishResult(version, []);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();
}
