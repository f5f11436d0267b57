using System.Collections.Immutable;
using Ballast.DataPlane.Config;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.LoadBalancing;

/// <summary>Creates the <see cref="Balancer"/> of a backend's <c>balance</c> algorithm.</summary>
internal static class BalancerFactory
{
    /// <summary>Creates the balancer of one backend runtime.</summary>
    /// <param name="settings">Algorithm and hashing settings.</param>
    /// <param name="servers">The backend's servers.</param>
    /// <param name="state">Backend state surviving snapshots (round-robin position, health epoch).</param>
    public static Balancer Create(BalanceSettings settings, ImmutableArray<ServerRuntime> servers, BackendState state) =>
        Create(settings, servers, state, allBackups: false);

    /// <summary>
    /// Creates the balancer of one backend runtime; with backup servers, a <see cref="BackupAwareBalancer"/> over one
    /// balancer of the active servers and, with <c>option allbackups</c>, one of the backups.
    /// </summary>
    /// <param name="settings">Algorithm and hashing settings.</param>
    /// <param name="servers">The backend's servers.</param>
    /// <param name="state">Backend state surviving snapshots.</param>
    /// <param name="allBackups">HAProxy <c>option allbackups</c>.</param>
    public static Balancer Create(BalanceSettings settings, ImmutableArray<ServerRuntime> servers, BackendState state, bool allBackups)
    {
        if (!servers.Any(s => s.IsBackup))
        {
            return CreateAlgorithm(settings, servers, state);
        }

        var active = servers.Where(s => !s.IsBackup).ToImmutableArray();
        var backups = servers.Where(s => s.IsBackup).ToImmutableArray();
        return new BackupAwareBalancer(
            active,
            CreateAlgorithm(settings, active, state),
            backups,
            allBackups ? CreateAlgorithm(settings, backups, state) : null);
    }

    private static Balancer CreateAlgorithm(BalanceSettings settings, ImmutableArray<ServerRuntime> servers, BackendState state) =>
        settings.Algorithm switch
        {
            V1.Balance.StaticRr => new StaticRoundRobinBalancer(servers, state),
            V1.Balance.Leastconn => new LeastConnBalancer(servers),
            V1.Balance.First => new FirstBalancer(servers),
            V1.Balance.Source or V1.Balance.Uri or V1.Balance.UrlParam or V1.Balance.Hdr => new HashBalancer(settings, servers, state),
            V1.Balance.Random => new RandomBalancer(settings.Draws, servers, state),
            _ => new RoundRobinBalancer(servers, state),
        };
}
