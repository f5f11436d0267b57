using Ballast.DataPlane.LoadBalancing;
using Ballast.DataPlane.Stats;

namespace Ballast.DataPlane.Config;

/// <summary>
/// Mutable state of one backend that outlives snapshot swaps while the backend keeps its name: counters, the
/// round-robin position (reset when the server list changes) and a health epoch that tells balancers to rebuild.
/// </summary>
internal sealed class BackendState
{
    private int _healthEpoch;
    private volatile RoundRobinPosition _position = new();
    private long _lastChangeUnixMs;
    private int _lastStatusUp = -1;

    /// <summary>Creates the state of a new backend.</summary>
    /// <param name="nowUnixMs">Current time, the initial <c>lastchg</c>.</param>
    public BackendState(long nowUnixMs) => _lastChangeUnixMs = nowUnixMs;

    /// <summary>Traffic counters.</summary>
    public StatCounters Counters { get; } = new();

    /// <summary>Requests waiting for a <c>maxconn</c> slot (HAProxy's backend queue, <c>qcur</c>/<c>qmax</c>).</summary>
    public BackendQueue Queue { get; init; } = new(TimeProvider.System);

    /// <summary>Round-robin position shared by the balancers built for this backend's current server list.</summary>
    public RoundRobinPosition Position => _position;

    /// <summary>Incremented on every server UP/DOWN transition of this backend.</summary>
    public int HealthEpoch => Volatile.Read(ref _healthEpoch);

    /// <summary>Unix time (ms) of the last backend UP/DOWN change, for <c>lastchg</c>.</summary>
    public long LastChangeUnixMs => Volatile.Read(ref _lastChangeUnixMs);

    /// <summary>
    /// Completes at the next <see cref="BumpHealthEpoch"/> (a server's health, admin state or weight changed): what
    /// requests waiting in a server's queue watch (<see cref="QueueRedistribution"/>).
    /// </summary>
    public Task HealthChanged => _healthChanged.Task;

    private volatile TaskCompletionSource _healthChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Signals that a server of this backend changed between UP and DOWN (or its admin state or weight).</summary>
    public void BumpHealthEpoch()
    {
        Interlocked.Increment(ref _healthEpoch);
        Interlocked.Exchange(ref _healthChanged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Starts a new round-robin cycle (the server list changed).</summary>
    public void ResetPosition() => _position = new RoundRobinPosition();

    /// <summary>Tracks the backend's UP/DOWN status (sampled each second) to maintain <c>lastchg</c>.</summary>
    /// <param name="isUp">Whether at least one server is usable.</param>
    /// <param name="nowUnixMs">Current time.</param>
    public void ObserveStatus(bool isUp, long nowUnixMs)
    {
        var value = isUp ? 1 : 0;
        var previous = Interlocked.Exchange(ref _lastStatusUp, value);
        if (previous != -1 && previous != value)
        {
            Volatile.Write(ref _lastChangeUnixMs, nowUnixMs);
        }
    }
}
