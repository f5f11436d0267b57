using Ballast.ControlPlane.Fleet;
using Ballast.ControlPlane.Model;
using Ballast.ControlPlane.Store;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Api;

/// <summary>Body of <c>POST /api/v1/publish</c>.</summary>
/// <param name="Message">What changed and why; recorded with the version.</param>
public sealed record PublishRequest(string? Message = null);

/// <summary>Answer of a successful publish.</summary>
/// <param name="Version">The new version number.</param>
public sealed record PublishResponse(long Version);

/// <summary>A published version in <c>GET /api/v1/versions</c>.</summary>
/// <param name="Version">Version number.</param>
/// <param name="Author">Who published it.</param>
/// <param name="CreatedAt">When, UTC.</param>
/// <param name="Message">Publish message.</param>
/// <param name="Hash">SHA-256 of the serialized ballast.v1.Config.</param>
public sealed record VersionResponse(long Version, string Author, DateTimeOffset CreatedAt, string Message, string Hash)
{
    internal static VersionResponse From(VersionInfo v) => new(v.Version, v.Author, v.CreatedAt, v.Message, v.Hash);
}

/// <summary>A published version with its configuration, <c>GET /api/v1/versions/{n}</c>.</summary>
/// <param name="Version">Version number.</param>
/// <param name="Author">Who published it.</param>
/// <param name="CreatedAt">When, UTC.</param>
/// <param name="Message">Publish message.</param>
/// <param name="Hash">SHA-256 of the serialized ballast.v1.Config.</param>
/// <param name="Config">The configuration, in the same form as <c>GET /api/v1/config</c>.</param>
public sealed record VersionDetailResponse(long Version, string Author, DateTimeOffset CreatedAt, string Message, string Hash, ConfigSpec Config);

/// <summary>A node in <c>GET /api/v1/nodes</c>.</summary>
/// <param name="NodeId">Node id.</param>
/// <param name="Labels">Labels from its Hello.</param>
/// <param name="Hostname">Host name.</param>
/// <param name="Connected">Whether its stream is open.</param>
/// <param name="AppliedVersion">Version it serves (0 = none).</param>
/// <param name="LastSeen">Last message, UTC.</param>
/// <param name="Status">SYNCED, STALE, REJECTED or DISCONNECTED.</param>
/// <param name="LastError">Error of its last NACK, if any.</param>
/// <param name="SoftwareVersion">Its software version.</param>
/// <param name="FirstSeen">First Hello, UTC.</param>
/// <param name="LastAckVersion">Last ACKed version.</param>
/// <param name="LastNackVersion">Last NACKed version.</param>
public sealed record NodeResponse(
    string NodeId,
    IReadOnlyDictionary<string, string> Labels,
    string Hostname,
    bool Connected,
    long AppliedVersion,
    DateTimeOffset LastSeen,
    string Status,
    string? LastError,
    string SoftwareVersion,
    DateTimeOffset FirstSeen,
    long LastAckVersion,
    long LastNackVersion)
{
    internal static NodeResponse From(NodeView n) => new(
        n.Record.NodeId,
        n.Record.Labels,
        n.Record.Hostname,
        n.Connected,
        n.Record.AppliedVersion,
        n.Record.LastSeen,
        n.StatusText,
        n.Record.LastError,
        n.Record.SoftwareVersion,
        n.Record.FirstSeen,
        n.Record.LastAckVersion,
        n.Record.LastNackVersion);
}

/// <summary><c>GET /api/v1/stats</c>: the latest rows of each connected node and their fleet-wide sum.</summary>
/// <param name="Nodes">Per node.</param>
/// <param name="Fleet">Summed over the nodes, one row per proxy and server.</param>
public sealed record StatsResponse(IReadOnlyList<NodeStatsResponse> Nodes, IReadOnlyList<StatRowResponse> Fleet)
{
    internal static StatsResponse From(FleetStats stats) => new(
        stats.Nodes.Select(n => new NodeStatsResponse(n.NodeId, n.ReceivedAt, n.TimestampMs, n.AppliedVersion, n.Rows.Select(StatRowResponse.From).ToArray())).ToArray(),
        stats.Fleet.Select(StatRowResponse.From).ToArray());
}

/// <summary>The latest stats report of one node.</summary>
/// <param name="NodeId">Node id.</param>
/// <param name="ReceivedAt">When received, UTC.</param>
/// <param name="TimestampMs">Node clock when taken, Unix ms.</param>
/// <param name="AppliedVersion">Version it was serving.</param>
/// <param name="Rows">HAProxy <c>show stat</c> rows.</param>
public sealed record NodeStatsResponse(string NodeId, DateTimeOffset ReceivedAt, long TimestampMs, long AppliedVersion, IReadOnlyList<StatRowResponse> Rows);

/// <summary>One HAProxy <c>show stat</c> row (management.txt 9.1); names are HAProxy's, camelCased.</summary>
/// <param name="Pxname">Proxy name.</param>
/// <param name="Svname">FRONTEND, BACKEND or the server name.</param>
/// <param name="Type">frontend, backend or server.</param>
/// <param name="Scur">Current sessions.</param>
/// <param name="Smax">Max sessions.</param>
/// <param name="Slim">Session limit.</param>
/// <param name="Stot">Total sessions.</param>
/// <param name="Bin">Bytes in.</param>
/// <param name="Bout">Bytes out.</param>
/// <param name="Ereq">Request errors.</param>
/// <param name="Econ">Connection errors.</param>
/// <param name="Eresp">Response errors.</param>
/// <param name="Status">UP, DOWN, DRAIN, MAINT, no check, OPEN.</param>
/// <param name="Weight">Weight.</param>
/// <param name="Chkfail">Failed checks.</param>
/// <param name="Chkdown">UP to DOWN transitions.</param>
/// <param name="Lastchg">Seconds since the last status change.</param>
/// <param name="Rate">Sessions per second.</param>
/// <param name="RateMax">Max sessions per second.</param>
/// <param name="Hrsp1xx">1xx responses.</param>
/// <param name="Hrsp2xx">2xx responses.</param>
/// <param name="Hrsp3xx">3xx responses.</param>
/// <param name="Hrsp4xx">4xx responses.</param>
/// <param name="Hrsp5xx">5xx responses.</param>
/// <param name="HrspOther">Other responses.</param>
/// <param name="CheckStatus">Last check status (L4OK, L7STS, ...).</param>
/// <param name="CheckDuration">Last check duration, ms.</param>
/// <param name="CheckCode">HTTP status of the last check.</param>
/// <param name="ReqTot">Total HTTP requests.</param>
/// <param name="Act">Active servers (backends) or flag (servers).</param>
/// <param name="Bck">Backup servers (backends) or flag (servers).</param>
/// <param name="Wretr">Retries.</param>
/// <param name="Wredis">Redispatches.</param>
/// <param name="Dreq">Requests denied by rules.</param>
/// <param name="Dresp">Responses denied by rules.</param>
/// <param name="Downtime">Total seconds DOWN.</param>
/// <param name="Qcur">Requests queued now.</param>
/// <param name="Qmax">Max requests queued.</param>
/// <param name="Qlimit">Queue limit (0 = none).</param>
/// <param name="Qtime">Average queue time, ms (HAProxy's sliding average; fleet: weighted by stot).</param>
/// <param name="Ctime">Average connect time, ms.</param>
/// <param name="Rtime">Average response time, ms.</param>
/// <param name="Ttime">Average total time, ms.</param>
/// <param name="CliAbrt">Transfers aborted by the client.</param>
/// <param name="SrvAbrt">Transfers aborted by the server.</param>
/// <param name="Lbtot">Times the server was selected by balancing.</param>
/// <param name="DroppedLogs">Access-log lines dropped because the log queue was full.</param>
public sealed record StatRowResponse(
    string Pxname, string Svname, StatType Type, ulong Scur, ulong Smax, ulong Slim, ulong Stot, ulong Bin, ulong Bout,
    ulong Ereq, ulong Econ, ulong Eresp, string Status, uint Weight, ulong Chkfail, ulong Chkdown, ulong Lastchg, ulong Rate,
    ulong RateMax, ulong Hrsp1xx, ulong Hrsp2xx, ulong Hrsp3xx, ulong Hrsp4xx, ulong Hrsp5xx, ulong HrspOther,
    string CheckStatus, ulong CheckDuration, uint CheckCode, ulong ReqTot, uint Act, uint Bck,
    ulong Wretr, ulong Wredis, ulong Dreq, ulong Dresp, ulong Downtime, ulong Qcur, ulong Qmax, ulong Qlimit,
    ulong Qtime, ulong Ctime, ulong Rtime, ulong Ttime, ulong CliAbrt, ulong SrvAbrt, ulong Lbtot, ulong DroppedLogs)
{
    internal static StatRowResponse From(StatRow r) => new(
        r.Pxname, r.Svname, r.Type, r.Scur, r.Smax, r.Slim, r.Stot, r.Bin, r.Bout, r.Ereq, r.Econ, r.Eresp, r.Status, r.Weight,
        r.Chkfail, r.Chkdown, r.Lastchg, r.Rate, r.RateMax, r.Hrsp1Xx, r.Hrsp2Xx, r.Hrsp3Xx, r.Hrsp4Xx, r.Hrsp5Xx, r.HrspOther,
        r.CheckStatus, r.CheckDuration, r.CheckCode, r.ReqTot, r.Act, r.Bck,
        r.Wretr, r.Wredis, r.Dreq, r.Dresp, r.Downtime, r.Qcur, r.Qmax, r.Qlimit,
        r.Qtime, r.Ctime, r.Rtime, r.Ttime, r.CliAbrt, r.SrvAbrt, r.Lbtot, r.DroppedLogs);
}

/// <summary>One audit entry, <c>GET /api/v1/audit</c>.</summary>
/// <param name="Id">Monotonic id.</param>
/// <param name="Time">When, UTC.</param>
/// <param name="Actor">Who.</param>
/// <param name="Action">What, e.g. <c>server.patch</c>, <c>publish</c>.</param>
/// <param name="Object">Which object.</param>
/// <param name="Detail">New value as JSON, or a message.</param>
public sealed record AuditEntryResponse(long Id, DateTimeOffset Time, string Actor, string Action, string Object, string Detail)
{
    internal static AuditEntryResponse From(AuditRecord a) => new(a.Id, a.Time, a.Actor, a.Action, a.Object, a.Detail);
}
