using System.Collections.Frozen;
using Ballast.DataPlane.Config;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Runtime;

/// <summary>
/// The node's current set of runtime server overrides (the last applied <see cref="V1.RuntimeUpdate"/>), and how it
/// is applied to a served model without rebuilding it: each server's <see cref="ServerState.Override"/> is set or
/// cleared, and backends whose servers changed bump their health epoch so balancers rebuild their cycle, map or ring
/// at once. The set survives snapshot applies (<see cref="ApplyTo"/> runs on every new model before it is served),
/// as HAProxy's server-state file survives reloads; overrides naming servers the model lacks wait for them.
/// </summary>
internal sealed class RuntimeOverrides
{
    /// <summary>Largest weight, as HAProxy's <c>weight</c>.</summary>
    public const int MaxWeight = 256;

    private volatile Entry _current = new(0, FrozenDictionary<(string, string), ServerOverride>.Empty);

    /// <summary>Revision of the applied set; 0 = none received.</summary>
    public ulong Revision => _current.Revision;

    /// <summary>The override of <paramref name="backend"/>/<paramref name="server"/>, or null.</summary>
    /// <param name="backend">Backend name.</param>
    /// <param name="server">Server name.</param>
    public ServerOverride? Find(string backend, string server) =>
        _current.Overrides.TryGetValue((backend, server), out var found) ? found : null;

    /// <summary>Validates <paramref name="update"/> and makes it the current set.</summary>
    /// <param name="update">The control plane's update.</param>
    /// <param name="error">Why it was rejected (the current set is kept).</param>
    /// <returns>False when the update is invalid.</returns>
    public bool TryReplace(V1.RuntimeUpdate update, out string? error)
    {
        ArgumentNullException.ThrowIfNull(update);
        var overrides = new Dictionary<(string, string), ServerOverride>();
        foreach (var item in update.Overrides)
        {
            var name = $"server '{item.Backend}/{item.Server}'";
            if (item.Backend.Length == 0 || item.Server.Length == 0)
            {
                error = $"{name}: backend and server names are required";
                return false;
            }

            if (item.HasWeight && item.Weight > MaxWeight)
            {
                error = $"{name}: weight must be 0-{MaxWeight} (got {item.Weight})";
                return false;
            }

            if (item.HasState && !Enum.IsDefined(item.State))
            {
                error = $"{name}: unknown state {(int)item.State}";
                return false;
            }

            if (!overrides.TryAdd((item.Backend, item.Server), new ServerOverride(item.HasState ? ToAdmin(item.State) : null, item.HasWeight ? (int)item.Weight : null)))
            {
                error = $"{name}: listed twice";
                return false;
            }
        }

        _current = new Entry(update.Revision, overrides.ToFrozenDictionary());
        error = null;
        return true;
    }

    /// <summary>Sets every server's override in <paramref name="model"/> from the current set.</summary>
    /// <param name="model">A model being (or about to be) served.</param>
    /// <returns>True when some server entered or left MAINT (its health checks must start or stop).</returns>
    public bool ApplyTo(RuntimeModel model)
    {
        var entry = _current;
        var maintChanged = false;
        foreach (var backend in model.Backends)
        {
            var changed = false;
            foreach (var server in backend.Servers)
            {
                entry.Overrides.TryGetValue((backend.Name, server.Name), out var wanted);
                var state = server.State;
                if (Equals(state.Override, wanted))
                {
                    continue;
                }

                var wasMaint = server.Admin == AdminState.Maint;
                var wasWeight = server.Weight;
                var wasAdmin = server.Admin;
                state.Override = wanted;
                maintChanged |= wasMaint != (server.Admin == AdminState.Maint);
                if (wasAdmin != server.Admin || (wasWeight == 0) != (server.Weight == 0))
                {
                    state.Health.TouchLastChange();
                }

                changed = true;
            }

            if (changed)
            {
                backend.State.BumpHealthEpoch();
            }
        }

        return maintChanged;
    }

    private static AdminState ToAdmin(V1.ServerState state) => state switch
    {
        V1.ServerState.Drain => AdminState.Drain,
        V1.ServerState.Maint => AdminState.Maint,
        _ => AdminState.Ready,
    };

    private sealed record Entry(ulong Revision, FrozenDictionary<(string, string), ServerOverride> Overrides);
}
