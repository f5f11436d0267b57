using Ballast.DataPlane.Config;

namespace Ballast.DataPlane.LoadBalancing;

/// <summary>
/// A structure built from a backend's usable servers (round-robin cycle, HAProxy map, consistent-hash ring), rebuilt
/// lazily when the backend's health epoch moves (a server went UP or DOWN, or the snapshot changed), as HAProxy
/// recomputes its map or requeues tree nodes on <c>set_server_status_up/down</c>. Reading it is one volatile read
/// and an integer comparison; rebuilds are serialized.
/// </summary>
/// <typeparam name="T">The structure.</typeparam>
internal sealed class HealthEpochCache<T>
    where T : class
{
    private readonly BackendState _state;
    private readonly Func<T> _build;
    private readonly object _gate = new();
    private volatile Entry _entry;

    /// <summary>Builds the first structure.</summary>
    /// <param name="state">The backend state whose epoch is watched.</param>
    /// <param name="build">Builds the structure from the servers' current usability.</param>
    public HealthEpochCache(BackendState state, Func<T> build)
    {
        _state = state;
        _build = build;
        var epoch = state.HealthEpoch;
        _entry = new Entry(build(), epoch);
    }

    /// <summary>The structure for the current health epoch.</summary>
    public T Current
    {
        get
        {
            var entry = _entry;
            if (entry.Epoch == _state.HealthEpoch)
            {
                return entry.Value;
            }

            lock (_gate)
            {
                entry = _entry;
                var epoch = _state.HealthEpoch;
                if (entry.Epoch != epoch)
                {
                    entry = new Entry(_build(), epoch);
                    _entry = entry;
                }

                return entry.Value;
            }
        }
    }

    private sealed record Entry(T Value, int Epoch);
}
