using System.Net;
using Ballast.DataPlane.Health;

namespace Ballast.DataPlane.Config;

/// <summary>
/// Immutable runtime view of one server, as HAProxy <c>server &lt;name&gt; &lt;address&gt;:&lt;port&gt; [weight]
/// [maxconn] [check]</c>, plus its surviving <see cref="ServerState"/>.
/// </summary>
internal sealed class ServerRuntime
{
    private readonly int _configuredWeight;
    private readonly AdminState _configuredAdmin;

    /// <summary>Server name, unique within its backend.</summary>
    public required string Name { get; init; }

    /// <summary>Name of the owning backend.</summary>
    public required string BackendName { get; init; }

    /// <summary>Address (IP literal or host name).</summary>
    public required string Address { get; init; }

    /// <summary>TCP port.</summary>
    public required int Port { get; init; }

    /// <summary>
    /// HAProxy server <c>id</c> (<c>puid</c>): explicit, or assigned as HAProxy does (see <see cref="ServerIds"/>).
    /// Orders <c>balance first</c> and keys the consistent-hash points.
    /// </summary>
    public required int Id { get; init; }

    /// <summary>
    /// Effective weight 0-256 (HAProxy default 1): the runtime weight override when one is set
    /// (<see cref="Runtime.ServerOverride"/>, HAProxy <c>set server weight</c>), else the configured one. With a static
    /// algorithm (static-rr, map-based hashing) it is 0 or <see cref="InitialWeight"/>, as HAProxy refuses other
    /// runtime weights there.
    /// </summary>
    public required int Weight
    {
        get => State.Override?.Weight is { } runtime ? (StaticWeights && runtime != 0 ? InitialWeight : runtime) : _configuredWeight;
        init => _configuredWeight = value;
    }

    /// <summary>The weight from the configuration, before any runtime override.</summary>
    public int ConfiguredWeight => _configuredWeight;

    /// <summary>
    /// Whether the backend's algorithm is static (static-rr, map-based hashing): a runtime weight is then 0 or
    /// <see cref="InitialWeight"/> ("only accepts weights '0%' and '100%'").
    /// </summary>
    public bool StaticWeights { get; init; }

    /// <summary>
    /// The weight the server had when its backend's static map was built (HAProxy <c>iweight</c>); equals
    /// <see cref="Weight"/> for dynamic algorithms.
    /// </summary>
    public required int InitialWeight { get; init; }

    /// <summary>Server <c>ssl</c> (mode http): TLS towards the server, or null for plain connections.</summary>
    public Tls.ServerTls? Tls { get; init; }

    /// <summary>Where to connect in mode tcp: an <see cref="IPEndPoint"/>, or a <see cref="DnsEndPoint"/> for a host name.</summary>
    public required EndPoint EndPoint { get; init; }

    /// <summary><c>send-proxy</c> / <c>send-proxy-v2</c>: the PROXY protocol header each new connection to the server begins with.</summary>
    public Ballast.Proto.V1.ProxyProtocolVersion SendProxy { get; init; }

    /// <summary>
    /// Whether releasing a slot requeues the server behind servers of equal load (leastconn: HAProxy's
    /// <c>server_drop_conn</c> repositions the server in the fwlc tree, which round-robins equal loads).
    /// </summary>
    public bool RequeueOnRelease { get; init; }

    /// <summary>Concurrent requests allowed, as <c>maxconn</c>; 0 = unlimited.</summary>
    public required int MaxConn { get; init; }

    /// <summary>
    /// HAProxy <c>maxqueue</c>: most requests waiting in this server's own queue (<see cref="PendingQueue"/>); beyond
    /// it a persistent request is redispatched (<c>option redispatch</c>) or gets a 503. 0 = unlimited.
    /// </summary>
    public int MaxQueue { get; init; }

    /// <summary>The server's own queue (requests bound to it by persistence while it is at <c>maxconn</c>).</summary>
    public LoadBalancing.ServerQueue PendingQueue => State.PendingQueue;

    /// <summary>
    /// Administrative state: the runtime override when one is set (HAProxy <c>set server state</c>), else the
    /// configured one.
    /// </summary>
    public required AdminState Admin
    {
        get => State.Override?.Admin ?? _configuredAdmin;
        init => _configuredAdmin = value;
    }

    /// <summary>The administrative state from the configuration, before any runtime override.</summary>
    public AdminState ConfiguredAdmin => _configuredAdmin;

    /// <summary>Passive health (HAProxy <c>observe</c>, <c>error-limit</c>, <c>on-error</c>), or null without <c>observe</c>.</summary>
    public PassiveHealthSettings? Passive { get; init; }

    /// <summary>Health-check settings, or null for "no check".</summary>
    public required HealthCheckSettings? Check { get; init; }

    /// <summary>URI prefix handed to the forwarder, e.g. <c>http://127.0.0.1:8080/</c>.</summary>
    public required string DestinationPrefix { get; init; }

    /// <summary>Counters and health that survive snapshot swaps.</summary>
    public required ServerState State { get; init; }

    /// <summary>Whether active checks run for this server (checked and not in maintenance).</summary>
    public bool IsChecked => Check is not null && Admin != AdminState.Maint;

    /// <summary>Whether the server is operationally UP: always when not checked, else per its checks.</summary>
    public bool IsUp => Check is null || State.Health.IsUp;

    /// <summary>
    /// Whether balancing may pick this server: ready, weight above 0 and UP, as HAProxy which gives DRAIN, MAINT,
    /// weight-0 and DOWN servers no new requests.
    /// </summary>
    public bool IsUsable => Admin == AdminState.Ready && Weight > 0 && IsUp;

    /// <summary>
    /// HAProxy <c>backup</c>: the server takes traffic only when no active server of its backend is usable
    /// (see <see cref="LoadBalancing.BackupAwareBalancer"/>).
    /// </summary>
    public bool IsBackup { get; init; }

    /// <summary>HAProxy <c>slowstart</c>: how long the weight ramps up after the server comes back UP; zero = off.</summary>
    public TimeSpan SlowStart { get; init; }

    /// <summary>The backend's wait queue, which is handed this server's released slots; null = no queue.</summary>
    public LoadBalancing.BackendQueue? Queue { get; init; }

    /// <summary>
    /// The weight dynamic algorithms balance with, in HAProxy's effective units (<c>eweight</c> = weight *
    /// <see cref="HaproxyDefaults.WeightScale"/>), reduced during <c>slowstart</c> to
    /// <c>ceil(eweight * ramp% / 100)</c> as HAProxy's <c>server_recalc_eweight</c>.
    /// </summary>
    public int EffectiveWeight
    {
        get
        {
            var full = Weight * HaproxyDefaults.WeightScale;
            var percent = State.WarmupPercent;
            return percent >= 100 ? full : ((full * percent) + 99) / 100;
        }
    }

    /// <summary>Takes one request (http) or connection (tcp) slot, honouring <c>maxconn</c>; counts the session.</summary>
    /// <returns>False when the server is full.</returns>
    public bool TryAcquire() => State.Counters.TryOpenSession(MaxConn);

    /// <summary>
    /// Returns the slot taken by <see cref="TryAcquire"/>, or hands it to the oldest request waiting in this server's
    /// own queue or in the backend's queue (HAProxy <c>process_srv_queue</c>, see <see cref="LoadBalancing.QueueHandOff"/>).
    /// </summary>
    public void Release()
    {
        if (LoadBalancing.QueueHandOff.TryHandOff(this))
        {
            State.Counters.CountSession();
            return;
        }

        State.Counters.CloseSession();
        if (RequeueOnRelease)
        {
            State.Requeue();
        }
    }

    /// <summary>Whether the server has a free <c>maxconn</c> slot right now (always true without maxconn).</summary>
    public bool HasFreeSlot => MaxConn <= 0 || State.Counters.Scur < MaxConn;

    /// <inheritdoc />
    public override string ToString() => $"{BackendName}/{Name}";
}
