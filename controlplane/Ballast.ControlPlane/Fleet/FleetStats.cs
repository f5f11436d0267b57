using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Fleet;

/// <summary>The latest stats report of one node.</summary>
/// <param name="NodeId">Node id.</param>
/// <param name="ReceivedAt">When the control plane received it, UTC.</param>
/// <param name="TimestampMs">The node's clock when it was taken, Unix ms.</param>
/// <param name="AppliedVersion">Version the node was serving.</param>
/// <param name="Rows">HAProxy <c>show stat</c> rows; never modified.</param>
internal sealed record NodeStats(string NodeId, DateTimeOffset ReceivedAt, long TimestampMs, long AppliedVersion, IReadOnlyList<StatRow> Rows);

/// <summary>Latest stats of every connected node and their sum over the fleet.</summary>
/// <param name="Nodes">Per node.</param>
/// <param name="Fleet">Rows summed per (proxy, server).</param>
internal sealed record FleetStats(IReadOnlyList<NodeStats> Nodes, IReadOnlyList<StatRow> Fleet);

/// <summary>Sums <c>show stat</c> rows of several nodes into fleet-wide rows.</summary>
internal static class StatsAggregator
{
    /// <summary>
    /// One row per (pxname, svname, type): counters, current values, limits and rates are summed; status and
    /// check status are kept when all nodes agree and joined with '/' otherwise; weight, act/bck and downtime take the
    /// maximum; lastchg the minimum (the most recent change); timers (qtime, ctime, rtime, ttime) are averaged, weighted by stot.
    /// </summary>
    public static IReadOnlyList<StatRow> Sum(IEnumerable<NodeStats> nodes)
    {
        var groups = new Dictionary<(string, string, StatType), List<StatRow>>();
        var order = new List<(string, string, StatType)>();
        foreach (var row in nodes.SelectMany(n => n.Rows))
        {
            var key = (row.Pxname, row.Svname, row.Type);
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
                order.Add(key);
            }

            list.Add(row);
        }

        return order.Select(key => Sum(groups[key])).ToArray();
    }

    private static StatRow Sum(List<StatRow> rows) => new()
    {
        Pxname = rows[0].Pxname,
        Svname = rows[0].Svname,
        Type = rows[0].Type,
        Scur = Total(rows, r => r.Scur),
        Smax = Total(rows, r => r.Smax),
        Slim = Total(rows, r => r.Slim),
        Stot = Total(rows, r => r.Stot),
        Bin = Total(rows, r => r.Bin),
        Bout = Total(rows, r => r.Bout),
        Ereq = Total(rows, r => r.Ereq),
        Econ = Total(rows, r => r.Econ),
        Eresp = Total(rows, r => r.Eresp),
        Status = Agree(rows, r => r.Status),
        Weight = rows.Max(r => r.Weight),
        Chkfail = Total(rows, r => r.Chkfail),
        Chkdown = Total(rows, r => r.Chkdown),
        Lastchg = rows.Min(r => r.Lastchg),
        Rate = Total(rows, r => r.Rate),
        RateMax = Total(rows, r => r.RateMax),
        Hrsp1Xx = Total(rows, r => r.Hrsp1Xx),
        Hrsp2Xx = Total(rows, r => r.Hrsp2Xx),
        Hrsp3Xx = Total(rows, r => r.Hrsp3Xx),
        Hrsp4Xx = Total(rows, r => r.Hrsp4Xx),
        Hrsp5Xx = Total(rows, r => r.Hrsp5Xx),
        HrspOther = Total(rows, r => r.HrspOther),
        CheckStatus = Agree(rows, r => r.CheckStatus),
        CheckDuration = rows.Max(r => r.CheckDuration),
        CheckCode = rows.Select(r => r.CheckCode).Distinct().Count() == 1 ? rows[0].CheckCode : 0,
        ReqTot = Total(rows, r => r.ReqTot),
        Act = rows.Max(r => r.Act),
        Bck = rows.Max(r => r.Bck),
        Wretr = Total(rows, r => r.Wretr),
        Wredis = Total(rows, r => r.Wredis),
        Dreq = Total(rows, r => r.Dreq),
        Dresp = Total(rows, r => r.Dresp),
        Downtime = rows.Max(r => r.Downtime),
        Qcur = Total(rows, r => r.Qcur),
        Qmax = Total(rows, r => r.Qmax),
        Qlimit = Total(rows, r => r.Qlimit),
        Qtime = WeightedAverage(rows, r => r.Qtime),
        Ctime = WeightedAverage(rows, r => r.Ctime),
        Rtime = WeightedAverage(rows, r => r.Rtime),
        Ttime = WeightedAverage(rows, r => r.Ttime),
        CliAbrt = Total(rows, r => r.CliAbrt),
        SrvAbrt = Total(rows, r => r.SrvAbrt),
        Lbtot = Total(rows, r => r.Lbtot),
        DroppedLogs = Total(rows, r => r.DroppedLogs),
    };

    /// <summary>Average of per-node timer averages (ms), weighted by each node's <c>stot</c>.</summary>
    private static ulong WeightedAverage(List<StatRow> rows, Func<StatRow, ulong> field)
    {
        double weighted = 0, weights = 0;
        foreach (var row in rows)
        {
            weighted += (double)field(row) * row.Stot;
            weights += row.Stot;
        }

        return weights == 0 ? rows.Max(field) : (ulong)Math.Round(weighted / weights);
    }

    private static ulong Total(List<StatRow> rows, Func<StatRow, ulong> field)
    {
        ulong sum = 0;
        foreach (var row in rows)
        {
            sum += field(row);
        }

        return sum;
    }

    private static string Agree(List<StatRow> rows, Func<StatRow, string> field) =>
        string.Join('/', rows.Select(field).Distinct(StringComparer.Ordinal));
}
