using Ballast.DataPlane.Config;
using Ballast.DataPlane.Health;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Stats;

/// <summary>
/// Produces HAProxy <c>show stat</c>-style rows (management.txt 9.1) for every frontend, backend and server of a
/// model, in configuration order: each backend's servers are followed by the backend row, as HAProxy lists them.
/// </summary>
internal static class StatsReportBuilder
{
    /// <summary>HAProxy's status of a frontend.</summary>
    public const string Open = "OPEN";

    /// <summary>Builds a report of <paramref name="model"/>.</summary>
    /// <param name="model">The model being served.</param>
    /// <param name="timeProvider">Clock for the timestamp and <c>lastchg</c>.</param>
    public static V1.StatsReport Build(RuntimeModel model, TimeProvider timeProvider)
    {
        var nowMs = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var report = new V1.StatsReport { TimestampMs = nowMs, AppliedVersion = model.Version };
        uint iid = 0;
        foreach (var frontend in model.Frontends)
        {
            var row = NewRow(frontend.Name, "FRONTEND", V1.StatType.Frontend, frontend.Counters);
            row.Slim = (ulong)frontend.MaxConn;
            row.Status = Open;
            row.Iid = ++iid;
            row.Mode = ModeName(frontend.Mode);
            row.DroppedLogs = (ulong)frontend.Counters.DroppedLogs;
            report.Rows.Add(row);
        }

        foreach (var backend in model.Backends)
        {
            uint active = 0;
            uint backups = 0;
            uint weight = 0;
            uint backupWeight = 0;
            iid++;
            foreach (var server in backend.Servers)
            {
                var serverRow = ServerRow(server, nowMs);
                serverRow.Iid = iid;
                serverRow.Mode = ModeName(backend.Mode);
                report.Rows.Add(serverRow);
                if (server.IsUsable && server.IsBackup)
                {
                    backups++;
                    backupWeight += (uint)server.Weight;
                }
                else if (server.IsUsable)
                {
                    active++;
                    weight += (uint)server.Weight;
                }
            }

            var row = NewRow(backend.Name, "BACKEND", V1.StatType.Backend, backend.State.Counters);
            // HAProxy: act/bck count the usable active/backup servers; weight is the active total, else the backups'.
            row.Status = active + backups > 0 ? "UP" : "DOWN";
            row.Act = active;
            row.Bck = backups;
            row.Weight = active > 0 ? weight : backupWeight;
            row.Lastchg = Seconds(nowMs - backend.State.LastChangeUnixMs);
            row.Downtime = (ulong)backend.State.Counters.DowntimeSeconds(nowMs);
            row.Iid = iid;
            row.Mode = ModeName(backend.Mode);
            row.Algo = AlgorithmName(backend.Balance);
            row.Qcur = (ulong)backend.State.Queue.Length; // the backend queue (timeout queue)
            row.Qmax = (ulong)backend.State.Queue.Max;
            report.Rows.Add(row);
        }

        return report;
    }

    /// <summary>HAProxy's status text of a server: MAINT, DOWN, DRAIN, "no check" or UP.</summary>
    /// <param name="server">The server.</param>
    public static string ServerStatus(ServerRuntime server) => server switch
    {
        { Admin: AdminState.Maint } => "MAINT",
        { IsUp: false } => "DOWN",
        { Admin: AdminState.Drain } or { Weight: 0 } => "DRAIN",
        { Check: null } => "no check",
        _ => "UP",
    };

    private static V1.StatRow ServerRow(ServerRuntime server, long nowMs)
    {
        var health = server.State.Health;
        var row = NewRow(server.BackendName, server.Name, V1.StatType.Server, server.State.Counters);
        row.Slim = (ulong)server.MaxConn;
        row.Qcur = (ulong)server.PendingQueue.Length; // the server's own queue (persistent requests)
        row.Qmax = (ulong)server.PendingQueue.Max;
        row.Qlimit = (ulong)server.MaxQueue;
        row.Status = ServerStatus(server);
        row.Weight = (uint)server.Weight;
        row.Act = server.IsBackup ? 0u : 1u; // as HAProxy: 1 in act or bck by the server's role
        row.Bck = server.IsBackup ? 1u : 0u;
        row.Lastchg = Seconds(nowMs - health.LastChangeUnixMs);
        row.Downtime = (ulong)server.State.Counters.DowntimeSeconds(nowMs);
        row.Sid = (uint)server.Id;
        row.Addr = $"{server.Address}:{server.Port}";
        if (server.Check is not null)
        {
            row.CheckRise = (uint)server.Check.Rise;
            row.CheckFall = (uint)server.Check.Fall;
            row.CheckHealth = (uint)Math.Max(0, health.Health);
            row.Chkfail = (ulong)health.FailedChecks;
            row.Chkdown = (ulong)health.DownTransitions;
            row.CheckStatus = health.LastStatus.ToHaproxyName();
            row.CheckDuration = (ulong)health.LastDurationMs;
            row.CheckCode = (uint)health.LastCode;
            if (server.Passive is not null)
            {
                row.Hanafail = (ulong)health.PassiveFailures; // HAProxy shows hanafail only for servers with observe
            }
        }

        return row;
    }

    private static V1.StatRow NewRow(string pxname, string svname, V1.StatType type, StatCounters counters) => new()
    {
        Pxname = pxname,
        Svname = svname,
        Type = type,
        Scur = (ulong)Math.Max(0, counters.Scur),
        Smax = (ulong)counters.Smax,
        Stot = (ulong)counters.Stot,
        Bin = (ulong)counters.Bin,
        Bout = (ulong)counters.Bout,
        Ereq = (ulong)counters.Ereq,
        Econ = (ulong)counters.Econ,
        Eresp = (ulong)counters.Eresp,
        Wretr = (ulong)counters.Wretr,
        Wredis = (ulong)counters.Wredis,
        ReqTot = (ulong)counters.ReqTot,
        Hrsp1Xx = (ulong)counters.Hrsp1xx,
        Hrsp2Xx = (ulong)counters.Hrsp2xx,
        Hrsp3Xx = (ulong)counters.Hrsp3xx,
        Hrsp4Xx = (ulong)counters.Hrsp4xx,
        Hrsp5Xx = (ulong)counters.Hrsp5xx,
        HrspOther = (ulong)counters.HrspOther,
        Rate = (ulong)counters.Rate,
        RateMax = (ulong)counters.RateMax,
        Dreq = (ulong)counters.Dreq,
        Dresp = (ulong)counters.Dresp,
        Qtime = (ulong)counters.Qtime,
        Ctime = (ulong)counters.Ctime,
        Rtime = (ulong)counters.Rtime,
        Ttime = (ulong)counters.Ttime,
        CliAbrt = (ulong)counters.CliAbrt,
        SrvAbrt = (ulong)counters.SrvAbrt,
        Lbtot = (ulong)counters.Lbtot,
    };

    /// <summary>HAProxy's name of a proxy mode (<c>http</c>, <c>tcp</c>), as the <c>mode</c> column.</summary>
    /// <param name="mode">The mode.</param>
    public static string ModeName(V1.Mode mode) => mode == V1.Mode.Tcp ? "tcp" : "http";

    /// <summary>HAProxy's name of a balance algorithm, as the <c>algo</c> column (<c>roundrobin</c>, <c>static-rr</c>, ...).</summary>
    /// <param name="balance">The algorithm.</param>
    public static string AlgorithmName(V1.Balance balance) => balance switch
    {
        V1.Balance.StaticRr => "static-rr",
        V1.Balance.Leastconn => "leastconn",
        V1.Balance.First => "first",
        V1.Balance.Source => "source",
        V1.Balance.Uri => "uri",
        V1.Balance.UrlParam => "url_param",
        V1.Balance.Hdr => "hdr",
        V1.Balance.Random => "random",
        _ => "roundrobin",
    };

    private static ulong Seconds(long ms) => ms <= 0 ? 0 : (ulong)(ms / 1000);
}
