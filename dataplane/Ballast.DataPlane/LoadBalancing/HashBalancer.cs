using System.Collections.Immutable;
using Ballast.DataPlane.Config;
using Ballast.DataPlane.LoadBalancing.Hashing;

namespace Ballast.DataPlane.LoadBalancing;

/// <summary>
/// HAProxy's hashing algorithms: <c>balance source</c>, <c>uri</c>, <c>url_param</c> and <c>hdr()</c>. The key is
/// hashed as HAProxy hashes it (<see cref="HashKeys"/>) and looked up in the backend's map (<c>hash-type
/// map-based</c>, HAProxy's default: <c>hash % total weight</c>) or consistent ring (<c>hash-type consistent</c>), so
/// for the same servers, ids and weights a request reaches the server HAProxy would pick. A request without the key
/// (no such query parameter or header) is balanced round robin over the same table, as HAProxy does. The designated
/// server at <c>maxconn</c> fails the pick (HAProxy would queue on it). On a redispatch the consistent ring moves to
/// the next server; the map gives the same server again, as in HAProxy.
/// </summary>
internal sealed class HashBalancer : Balancer
{
    private readonly BalanceSettings _settings;
    private readonly HealthEpochCache<IServerTable> _table;
    private readonly RoundRobinPosition _position;

    /// <summary>Creates the balancer.</summary>
    /// <param name="settings">Algorithm and hashing settings.</param>
    /// <param name="servers">The backend's servers.</param>
    /// <param name="state">Backend state: position and health epoch.</param>
    public HashBalancer(BalanceSettings settings, ImmutableArray<ServerRuntime> servers, BackendState state)
    {
        _settings = settings;
        _position = state.Position;
        _table = settings.Consistent
            ? new HealthEpochCache<IServerTable>(state, () => ConsistentHashRing.Build(servers))
            : new HealthEpochCache<IServerTable>(state, () => ServerMap.Build(servers));
    }

    /// <summary>The current table (for tests and diagnostics).</summary>
    public IServerTable Table => _table.Current;

    /// <inheritdoc />
    public override ServerRuntime? Pick(in BalanceInput input, in ServerExclusions exclude)
    {
        var table = _table.Current;
        if (table.IsEmpty)
        {
            return null;
        }

        if (!HashKeys.TryHash(_settings, input, out var hash))
        {
            return table.NextRoundRobin(_position, exclude);
        }

        var server = table.Lookup(hash, exclude);
        return server is not null && server.TryAcquire() ? server : null;
    }

    /// <summary>The server a request would be sent to, without taking a slot (for tests and diagnostics).</summary>
    /// <param name="input">The request.</param>
    /// <returns>The designated server, or null when the key is missing or no server is usable.</returns>
    public ServerRuntime? Designate(in BalanceInput input) =>
        HashKeys.TryHash(_settings, input, out var hash) ? _table.Current.Lookup(hash, default) : null;
}
