using Ballast.ControlPlane.Fleet;
using Ballast.ControlPlane.Store;
using Ballast.Proto.Grpc;

namespace Ballast.ControlPlane.Hosting;

/// <summary>
/// Opens the store and loads the fleet before the server accepts requests (hosted services start before the
/// server), and ends node streams with UNAVAILABLE when the host stops so nodes reconnect elsewhere.
/// </summary>
internal sealed class ControlPlaneStartup(
    StoreInitializer store,
    VersionStore versions,
    FleetRegistry fleet,
    AdminToken adminToken,
    ILogger<ControlPlaneStartup> logger)
    : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        var latest = await versions.GetLatestAsync(cancellationToken);
        await fleet.LoadAsync(latest is null ? null : new PublishedSnapshot(latest.Info.Version, latest.Config, latest.Info.Hash), cancellationToken);
        logger.LogInformation("Latest published version: {Version}; admin token from {Source}", latest?.Info.Version ?? 0, adminToken.Source);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        fleet.CloseAll(new Status(StatusCode.Unavailable, "the control plane is shutting down"));
        return Task.CompletedTask;
    }
}
