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

    /// <summary>Health state and check counters.</summary>
    public ServerHealth Health { get; } = health;
}
