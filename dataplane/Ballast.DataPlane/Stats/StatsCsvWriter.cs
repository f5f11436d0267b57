using System.Globalization;
using System.Text;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Stats;

/// <summary>
/// Writes a stats report as HAProxy's <c>show stat</c> CSV (management.txt section 9.1): the header line
/// <c># pxname,svname,qcur,...</c> then one line per frontend, server and backend, every field followed by a comma.
/// The columns are HAProxy 2.6's first 103 (<c>pxname</c> to <c>agg_check_status</c>), in its order, so tools that
/// read HAProxy's CSV by position or by header name work; fields Ballast does not have, or that HAProxy leaves empty
/// for a row type (e.g. <c>qcur</c> of a frontend), are empty.
/// </summary>
internal static class StatsCsvWriter
{
    /// <summary>HAProxy 2.6's <c>show stat</c> column names, in order (positions are stable across versions).</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "pxname", "svname", "qcur", "qmax", "scur", "smax", "slim", "stot", "bin", "bout", "dreq", "dresp", "ereq",
        "econ", "eresp", "wretr", "wredis", "status", "weight", "act", "bck", "chkfail", "chkdown", "lastchg",
        "downtime", "qlimit", "pid", "iid", "sid", "throttle", "lbtot", "tracked", "type", "rate", "rate_lim",
        "rate_max", "check_status", "check_code", "check_duration", "hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx",
        "hrsp_5xx", "hrsp_other", "hanafail", "req_rate", "req_rate_max", "req_tot", "cli_abrt", "srv_abrt",
        "comp_in", "comp_out", "comp_byp", "comp_rsp", "lastsess", "last_chk", "last_agt", "qtime", "ctime", "rtime",
        "ttime", "agent_status", "agent_code", "agent_duration", "check_desc", "agent_desc", "check_rise",
        "check_fall", "check_health", "agent_rise", "agent_fall", "agent_health", "addr", "cookie", "mode", "algo",
        "conn_rate", "conn_rate_max", "conn_tot", "intercepted", "dcon", "dses", "wrew", "connect", "reuse",
        "cache_lookups", "cache_hits", "srv_icur", "src_ilim", "qtime_max", "ctime_max", "rtime_max", "ttime_max",
        "eint", "idle_conn_cur", "safe_conn_cur", "used_conn_cur", "need_conn_est", "uweight", "agg_server_status",
        "agg_server_check_status", "agg_check_status",
    ];

    /// <summary>The header line, <c># pxname,svname,...,</c> with a trailing comma and newline, as HAProxy.</summary>
    public static string Header { get; } = "# " + string.Join(',', Columns) + ",\n";

    /// <summary>Writes the header and every row of <paramref name="report"/>.</summary>
    /// <param name="report">The report.</param>
    public static string Write(V1.StatsReport report)
    {
        var text = new StringBuilder(Header, 256 * (report.Rows.Count + 1));
        foreach (var row in report.Rows)
        {
            for (var column = 0; column < Columns.Count; column++)
            {
                AppendField(text, row, column);
                text.Append(',');
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static void AppendField(StringBuilder text, V1.StatRow row, int column)
    {
        var frontend = row.Type == V1.StatType.Frontend;
        var backend = row.Type == V1.StatType.Backend;
        var server = row.Type == V1.StatType.Server;
        var hasCheck = server && row.CheckStatus.Length > 0;
        switch (Columns[column])
        {
            case "pxname": text.Append(Escape(row.Pxname)); break;
            case "svname": text.Append(Escape(row.Svname)); break;
            case "qcur" when !frontend: Number(text, row.Qcur); break;
            case "qmax" when !frontend: Number(text, row.Qmax); break;
            case "scur": Number(text, row.Scur); break;
            case "smax": Number(text, row.Smax); break;
            case "slim" when row.Slim > 0: Number(text, row.Slim); break;
            case "stot": Number(text, row.Stot); break;
            case "bin": Number(text, row.Bin); break;
            case "bout": Number(text, row.Bout); break;
            case "dreq" when !server: Number(text, row.Dreq); break;
            case "dresp": Number(text, row.Dresp); break;
            case "ereq" when frontend: Number(text, row.Ereq); break;
            case "econ" when !frontend: Number(text, row.Econ); break;
            case "eresp" when !frontend: Number(text, row.Eresp); break;
            case "wretr" when !frontend: Number(text, row.Wretr); break;
            case "wredis" when !frontend: Number(text, row.Wredis); break;
            case "status": text.Append(Escape(row.Status)); break;
            case "weight" when !frontend: Number(text, row.Weight); break;
            case "act" when !frontend: Number(text, row.Act); break;
            case "bck" when !frontend: Number(text, row.Bck); break;
            case "chkfail" when hasCheck: Number(text, row.Chkfail); break;
            case "chkdown" when hasCheck || backend: Number(text, row.Chkdown); break;
            case "lastchg" when !frontend: Number(text, row.Lastchg); break;
            case "downtime" when hasCheck || backend: Number(text, row.Downtime); break;
            case "qlimit" when server && row.Qlimit > 0: Number(text, row.Qlimit); break;
            case "pid": text.Append('1'); break;
            case "iid": Number(text, row.Iid); break;
            case "sid": Number(text, row.Sid); break;
            case "lbtot" when !frontend: Number(text, row.Lbtot); break;
            case "type": Number(text, (uint)row.Type); break;
            case "rate": Number(text, row.Rate); break;
            case "rate_lim" when frontend: text.Append('0'); break;
            case "rate_max": Number(text, row.RateMax); break;
            case "check_status" when hasCheck: text.Append(Escape(row.CheckStatus)); break;
            case "check_code" when hasCheck && row.CheckCode > 0: Number(text, row.CheckCode); break;
            case "check_duration" when hasCheck: Number(text, row.CheckDuration); break;
            case "hrsp_1xx": Number(text, row.Hrsp1Xx); break;
            case "hrsp_2xx": Number(text, row.Hrsp2Xx); break;
            case "hrsp_3xx": Number(text, row.Hrsp3Xx); break;
            case "hrsp_4xx": Number(text, row.Hrsp4Xx); break;
            case "hrsp_5xx": Number(text, row.Hrsp5Xx); break;
            case "hrsp_other": Number(text, row.HrspOther); break;
            case "hanafail" when server && row.HasHanafail: Number(text, row.Hanafail); break;
            case "req_tot" when !server: Number(text, row.ReqTot); break;
            case "cli_abrt" when !frontend: Number(text, row.CliAbrt); break;
            case "srv_abrt" when !frontend: Number(text, row.SrvAbrt); break;
            case "qtime" when !frontend: Number(text, row.Qtime); break;
            case "ctime" when !frontend: Number(text, row.Ctime); break;
            case "rtime" when !frontend: Number(text, row.Rtime); break;
            case "ttime" when !frontend: Number(text, row.Ttime); break;
            case "check_rise" when hasCheck: Number(text, row.CheckRise); break;
            case "check_fall" when hasCheck: Number(text, row.CheckFall); break;
            case "check_health" when hasCheck: Number(text, row.CheckHealth); break;
            case "addr" when server: text.Append(Escape(row.Addr)); break;
            case "mode": text.Append(Escape(row.Mode)); break;
            case "algo" when backend: text.Append(Escape(row.Algo)); break;
            case "conn_tot" when frontend: Number(text, row.Stot); break;
            case "uweight" when !frontend: Number(text, row.Weight); break;
            default: break;
        }
    }

    private static void Number(StringBuilder text, ulong value) => text.Append(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>HAProxy's CSV has no quoting: commas and line breaks in names are replaced so a line keeps its columns.</summary>
    private static string Escape(string value) =>
        value.AsSpan().IndexOfAny(",\n\r") < 0 ? value : value.Replace(',', '_').Replace('\n', ' ').Replace('\r', ' ');
}
