using System.Globalization;
using System.Text;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Stats;

/// <summary>
/// Writes a stats report in the Prometheus text exposition format 0.0.4 with the metric names of HAProxy's own
/// exporter (<c>addons/promex/service-prometheus.c</c>, HAProxy 2.6): <c>haproxy_frontend_*</c>,
/// <c>haproxy_backend_*</c>, <c>haproxy_server_*</c>, labels <c>proxy</c> and <c>server</c>, so dashboards and alerts
/// written for HAProxy work unchanged. As promex: times are seconds, <c>http_responses_total</c> has a
/// <c>code</c> label (<c>1xx</c>..<c>5xx</c>, <c>other</c>), <c>status</c> is one series per <c>state</c> (1 for the
/// current one), <c>check_status</c> one series per check result <c>state</c>. Ballast adds
/// <c>haproxy_process_dropped_logs_total</c> as promex's process metric of that name (access-log lines dropped), and
/// the .NET runtime's garbage-collector metrics under the names of its built-in <c>System.Runtime</c> meter as the
/// OpenTelemetry Prometheus exporter writes them (<c>dotnet_gc_collections_total{gc_heap_generation}</c>,
/// <c>dotnet_gc_pause_time_seconds_total</c>, <c>dotnet_gc_heap_total_allocated_bytes_total</c>,
/// <c>dotnet_process_memory_working_set_bytes</c>): GC pauses are what a managed proxy adds to HAProxy's latency tail.
/// </summary>
internal static class PrometheusWriter
{
    /// <summary>The content type of the exposition format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private const int Front = 1;
    private const int Back = 2;
    private const int Srv = 4;

    private static readonly string[] FrontStates = ["DOWN", "UP"];
    private static readonly string[] ServerStates = ["DOWN", "UP", "MAINT", "DRAIN", "NOLB"];
    private static readonly string[] CheckStates =
    [
        "HANA", "SOCKERR", "L4OK", "L4TOUT", "L4CON", "L6OK", "L6TOUT", "L6RSP", "L7TOUT", "L7RSP", "L7OK", "L7OKC",
        "L7STS", "PROCERR", "PROCTOUT", "PROCOK",
    ];

    private static readonly Metric[] Metrics =
    [
        new("current_queue", "gauge", "Current number of queued requests.", Back | Srv, r => r.Qcur),
        new("max_queue", "gauge", "Maximum observed number of queued requests.", Back | Srv, r => r.Qmax),
        new("current_sessions", "gauge", "Current number of active sessions.", Front | Back | Srv, r => r.Scur),
        new("max_sessions", "gauge", "Maximum observed number of active sessions.", Front | Back | Srv, r => r.Smax),
        new("limit_sessions", "gauge", "Configured session limit.", Front | Back | Srv, r => r.Slim),
        new("sessions_total", "counter", "Total number of sessions.", Front | Back | Srv, r => r.Stot),
        new("bytes_in_total", "counter", "Current total of incoming bytes.", Front | Back | Srv, r => r.Bin),
        new("bytes_out_total", "counter", "Current total of outgoing bytes.", Front | Back | Srv, r => r.Bout),
        new("requests_denied_total", "counter", "Total number of denied requests.", Front | Back, r => r.Dreq),
        new("responses_denied_total", "counter", "Total number of denied responses.", Front | Back | Srv, r => r.Dresp),
        new("request_errors_total", "counter", "Total number of request errors.", Front, r => r.Ereq),
        new("connection_errors_total", "counter", "Total number of connection errors.", Back | Srv, r => r.Econ),
        new("response_errors_total", "counter", "Total number of response errors.", Back | Srv, r => r.Eresp),
        new("retry_warnings_total", "counter", "Total number of retry warnings.", Back | Srv, r => r.Wretr),
        new("redispatch_warnings_total", "counter", "Total number of redispatch warnings.", Back | Srv, r => r.Wredis),
        new("weight", "gauge", "Service weight.", Back | Srv, r => r.Weight),
        new("active_servers", "gauge", "Current number of active servers.", Back, r => r.Act),
        new("backup_servers", "gauge", "Current number of backup servers.", Back, r => r.Bck),
        new("check_failures_total", "counter", "Total number of failed check (Only counts checks failed when the server is up).", Srv, r => r.Chkfail),
        new("check_up_down_total", "counter", "Total number of UP->DOWN transitions.", Back | Srv, r => r.Chkdown),
        new("check_last_change_seconds", "gauge", "Number of seconds since the last UP<->DOWN transition.", Back | Srv, r => r.Lastchg),
        new("downtime_seconds_total", "counter", "Total downtime (in seconds) for the service.", Back | Srv, r => r.Downtime),
        new("queue_limit", "gauge", "Configured maxqueue for the server (0 meaning no limit).", Srv, r => r.Qlimit),
        new("loadbalanced_total", "counter", "Total number of times a service was selected, either for new sessions, or when redispatching.", Back | Srv, r => r.Lbtot),
        new("max_session_rate", "gauge", "Maximum observed number of sessions per second.", Front | Back | Srv, r => r.RateMax),
        new("check_code", "gauge", "layer5-7 code, if available of the last health check.", Srv, r => r.CheckCode),
        new("check_duration_seconds", "gauge", "Total duration of the latest server health check, in seconds.", Srv, r => r.CheckDuration, Seconds: true),
        new("http_requests_total", "counter", "Total number of HTTP requests received.", Front | Back, r => r.ReqTot),
        new("client_aborts_total", "counter", "Total number of data transfers aborted by the client.", Back | Srv, r => r.CliAbrt),
        new("server_aborts_total", "counter", "Total number of data transfers aborted by the server.", Back | Srv, r => r.SrvAbrt),
        new("queue_time_average_seconds", "gauge", "Avg. queue time for last 1024 successful connections.", Back | Srv, r => r.Qtime, Seconds: true),
        new("connect_time_average_seconds", "gauge", "Avg. connect time for last 1024 successful connections.", Back | Srv, r => r.Ctime, Seconds: true),
        new("response_time_average_seconds", "gauge", "Avg. response time for last 1024 successful connections.", Back | Srv, r => r.Rtime, Seconds: true),
        new("total_time_average_seconds", "gauge", "Avg. total time for last 1024 successful connections.", Back | Srv, r => r.Ttime, Seconds: true),
        new("connections_total", "counter", "Total number of connections.", Front, r => r.Stot),
    ];

    /// <summary>Writes every metric of <paramref name="report"/>.</summary>
    /// <param name="report">The report.</param>
    public static string Write(V1.StatsReport report)
    {
        var text = new StringBuilder(4096);
        ulong dropped = 0;
        foreach (var row in report.Rows)
        {
            dropped += row.DroppedLogs;
        }

        Family(text, "haproxy_process_dropped_logs_total", "counter", "Total number of dropped logs.");
        text.Append("haproxy_process_dropped_logs_total ").Append(dropped.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var (kind, prefix) in new[] { (Front, "haproxy_frontend_"), (Back, "haproxy_backend_"), (Srv, "haproxy_server_") })
        {
            WriteStatus(text, report, kind, prefix);
            foreach (var metric in Metrics)
            {
                if ((metric.Kinds & kind) == 0)
                {
                    continue;
                }

                Family(text, prefix + metric.Name, metric.Type, metric.Help);
                foreach (var row in Rows(report, kind))
                {
                    Sample(text, prefix + metric.Name, row, null, null);
                    var value = metric.Value(row);
                    text.Append(metric.Seconds ? (value / 1000.0).ToString("R", CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture)).Append('\n');
                }
            }

            Family(text, prefix + "http_responses_total", "counter", "Total number of HTTP responses.");
            foreach (var row in Rows(report, kind))
            {
                Responses(text, prefix, row, "1xx", row.Hrsp1Xx);
                Responses(text, prefix, row, "2xx", row.Hrsp2Xx);
                Responses(text, prefix, row, "3xx", row.Hrsp3Xx);
                Responses(text, prefix, row, "4xx", row.Hrsp4Xx);
                Responses(text, prefix, row, "5xx", row.Hrsp5Xx);
                Responses(text, prefix, row, "other", row.HrspOther);
            }
        }

        WriteRuntime(text);
        Family(text, "haproxy_server_check_status", "gauge", "Status of last health check, per state value");
        foreach (var row in Rows(report, Srv))
        {
            if (row.CheckStatus.Length == 0)
            {
                continue; // no check, as promex skips servers whose checks are disabled
            }

            foreach (var state in CheckStates)
            {
                Sample(text, "haproxy_server_check_status", row, "state", state);
                text.Append(row.CheckStatus == state ? "1\n" : "0\n");
            }
        }

        return text.ToString();
    }

    /// <summary>The node process's garbage-collector counters (System.Runtime meter names, in Prometheus form).</summary>
    private static void WriteRuntime(StringBuilder text)
    {
        var invariant = CultureInfo.InvariantCulture;
        Family(text, "dotnet_gc_collections_total", "counter", "The number of garbage collections that have occurred since the process has started.");
        for (var generation = 0; generation <= GC.MaxGeneration; generation++)
        {
            // As the meter: a collection of generation N is counted for N only (CollectionCount(N) includes the higher ones).
            var count = GC.CollectionCount(generation) - (generation < GC.MaxGeneration ? GC.CollectionCount(generation + 1) : 0);
            text.Append("dotnet_gc_collections_total{gc_heap_generation=\"gen").Append(generation.ToString(invariant)).Append("\"} ")
                .Append(count.ToString(invariant)).Append('\n');
        }

        Family(text, "dotnet_gc_pause_time_seconds_total", "counter", "The total amount of time paused in GC since the process has started.");
        text.Append("dotnet_gc_pause_time_seconds_total ").Append(GC.GetTotalPauseDuration().TotalSeconds.ToString("R", invariant)).Append('\n');
        Family(text, "dotnet_gc_heap_total_allocated_bytes_total", "counter", "The approximate number of bytes allocated on the managed GC heap since the process has started.");
        text.Append("dotnet_gc_heap_total_allocated_bytes_total ").Append(GC.GetTotalAllocatedBytes().ToString(invariant)).Append('\n');
        Family(text, "dotnet_process_memory_working_set_bytes", "gauge", "The number of bytes of physical memory mapped to the process context.");
        text.Append("dotnet_process_memory_working_set_bytes ").Append(Environment.WorkingSet.ToString(invariant)).Append('\n');
    }

    private static void WriteStatus(StringBuilder text, V1.StatsReport report, int kind, string prefix)
    {
        var states = kind == Srv ? ServerStates : FrontStates;
        Family(text, prefix + "status", "gauge", "Current status of the service, per state label value.");
        foreach (var row in Rows(report, kind))
        {
            var current = row.Status switch
            {
                "OPEN" or "UP" or "no check" => "UP",
                "MAINT" => "MAINT",
                "DRAIN" => "DRAIN",
                "NOLB" => "NOLB",
                _ => "DOWN",
            };
            foreach (var state in states)
            {
                Sample(text, prefix + "status", row, "state", state);
                text.Append(current == state ? "1\n" : "0\n");
            }
        }
    }

    private static void Responses(StringBuilder text, string prefix, V1.StatRow row, string code, ulong value)
    {
        Sample(text, prefix + "http_responses_total", row, "code", code);
        text.Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static IEnumerable<V1.StatRow> Rows(V1.StatsReport report, int kind)
    {
        var type = kind switch { Front => V1.StatType.Frontend, Back => V1.StatType.Backend, _ => V1.StatType.Server };
        return report.Rows.Where(row => row.Type == type);
    }

    private static void Family(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string name, V1.StatRow row, string? extraLabel, string? extraValue)
    {
        text.Append(name).Append("{proxy=\"").Append(LabelValue(row.Pxname)).Append('"');
        if (row.Type == V1.StatType.Server)
        {
            text.Append(",server=\"").Append(LabelValue(row.Svname)).Append('"');
        }

        if (extraLabel is not null)
        {
            text.Append(',').Append(extraLabel).Append("=\"").Append(LabelValue(extraValue!)).Append('"');
        }

        text.Append("} ");
    }

    /// <summary>Escapes a label value as the exposition format requires: backslash, double quote, line feed.</summary>
    private static string LabelValue(string value) =>
        value.AsSpan().IndexOfAny("\\\"\n") < 0 ? value : value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    private sealed record Metric(string Name, string Type, string Help, int Kinds, Func<V1.StatRow, ulong> Value, bool Seconds = false);
}
