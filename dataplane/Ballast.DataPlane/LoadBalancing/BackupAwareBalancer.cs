using System.Collections.Immutable;
using Ballast.DataPlane.Config;

namespace Ballast.DataPlane.LoadBalancing;

/// <summary>
/// HAProxy backup servers (<c>server ... backup</c>): the backend's algorithm balances over the active servers while
/// at least one of them is usable; when none is (all DOWN, MAINT, DRAIN or weight 0), the backups take the traffic:
/// the first usable backup in declaration order only (HAProxy's <c>lbprm.fbck</c>), or, with
/// <c>option allbackups</c>, all usable backups balanced by the same algorithm. Full active servers do not open the
/// backups: the request waits in the queue instead, as HAProxy.
/// </summary>
internal sealed class BackupAwareBalancer : Balancer
{
    private readonly ImmutableArray<ServerRuntime> _active;
    private readonly ImmutableArray<ServerRuntime> _backups;
    private readonly Balancer _activeBalancer;
    private readonly Balancer? _backupBalancer;

    /// <summary>Creates the balancer.</summary>
    /// <param name="active">Active servers.</param>
    /// <param name="activeBalancer">The algorithm over <paramref name="active"/>.</param>
    /// <param name="backups">Backup servers in declaration order.</param>
    /// <param name="backupBalancer">The algorithm over <paramref name="backups"/> (<c>option allbackups</c>), or null for the first backup only.</param>
    public BackupAwareBalancer(ImmutableArray<ServerRuntime> active, Balancer activeBalancer, ImmutableArray<ServerRuntime> backups, Balancer? backupBalancer)
    {
        _active = active;
        _activeBalancer = activeBalancer;
        _backups = backups;
        _backupBalancer = backupBalancer;
    }

    /// <inheritdoc />
    public override ServerRuntime? Pick(in BalanceInput input, in ServerExclusions exclude)
    {
        foreach (var server in _active)
        {
            if (server.IsUsable)
            {
                return _activeBalancer.Pick(input, exclude);
            }
        }

        if (_backupBalancer is not null)
        {
            return _backupBalancer.Pick(input, exclude);
        }

        foreach (var server in _backups)
        {
            if (server.IsUsable)
            {
                // Only the first usable backup serves; a redispatch away from it finds nothing else.
                return !exclude.Contains(server) && server.TryAcquire() ? server : null;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether some server that <see cref="Pick(in BalanceInput, in ServerExclusions)"/> may choose is usable
    /// (possibly full): requests then wait in the queue instead of getting a 503.
    /// </summary>
    /// <param name="servers">All servers of the backend.</param>
    /// <param name="exclude">Servers to skip.</param>
    /// <param name="allBackups">Whether <c>option allbackups</c> is set.</param>
    public static bool HasCandidate(ImmutableArray<ServerRuntime> servers, in ServerExclusions exclude, bool allBackups)
    {
        var anyActive = false;
        foreach (var server in servers)
        {
            if (!server.IsBackup && server.IsUsable)
            {
                anyActive = true;
                if (!exclude.Contains(server))
                {
                    return true;
                }
            }
        }

        if (anyActive)
        {
            return false;
        }

        foreach (var server in servers)
        {
            if (server.IsBackup && server.IsUsable)
            {
                if (!exclude.Contains(server))
                {
                    return true;
                }

                if (!allBackups)
                {
                    return false;
                }
            }
        }

        return false;
    }
}
