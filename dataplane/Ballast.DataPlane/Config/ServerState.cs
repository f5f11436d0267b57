using Ballast.DataPlane.Health;
using Ballast.DataPlane.Stats;

namespace Ballast.DataPlane.Config;

/// <summary>
/// Mutable state of one server that outlives snapshot swaps while the server is unchanged (same backend, name,
/// address and port): its traffic counters and its health.
/// </summary>
/// <param name="counters">Traffic counters.</param>
/// <param name="health">Health state and check counters.</param>
internal sealed class ServerState(StatCounters counters, ServerHealth health)
{
    /// <summary>Traffic counters.</summary>
    public StatCounters Counters { get; } = counters;

    private static long s_requeueClock;
    private long _requeuedAt;

    /// <summary>Health state and check counters.</summary>
    public ServerHealth Health { get; } = health;

    /// <summary>Requests bound to this server (persistence) waiting for a <c>maxconn</c> slot: HAProxy's server queue.</summary>
    public LoadBalancing.ServerQueue PendingQueue { get; } = new();

    /// <summary>
    /// When the server was last (re)queued in its load group (a process-wide sequence): leastconn picks, among servers
    /// of equal load, the one queued longest ago, as HAProxy's fwlc tree keeps equal keys in insertion order.
    /// </summary>
    public long RequeuedAt => Volatile.Read(ref _requeuedAt);

    private int _warmupPercent = 100;

    /// <summary>
    /// Progress of a <c>slowstart</c> ramp, 1-100 (100 = full weight), set by <see cref="Health.SlowStartWarmup"/>.
    /// </summary>
    public int WarmupPercent
    {
        get => Volatile.Read(ref _warmupPercent);
        set => Volatile.Write(ref _warmupPercent, value);
    }

    private Runtime.ServerOverride? _override;

    /// <summary>
    /// The runtime override of the server's state and weight (HAProxy <c>set server state|weight</c>), or null;
    /// set by <see cref="Runtime.RuntimeOverrides"/> without rebuilding the model.
    /// </summary>
    public Runtime.ServerOverride? Override
    {
        get => Volatile.Read(ref _override);
        set => Volatile.Write(ref _override, value);
    }

    /// <summary>
    /// The fast path's idle connections to this server (<c>ServerConnectionPool</c>), kept here so that taking one is a
    /// field read instead of a table lookup; set once by the first pool that needs it.
    /// </summary>
    internal object? IdleConnections;

    /// <summary>Queues the server behind every server of equal load (HAProxy <c>fwlc_srv_reposition</c>).</summary>
    public void Requeue() => Volatile.Write(ref _requeuedAt, Interlocked.Increment(ref s_requeueClock));
}
