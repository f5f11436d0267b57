using System.Globalization;
using System.Text.RegularExpressions;
using Ballast.DataPlane.Config;
using Ballast.DataPlane.Stats;
using Ballast.DataPlane.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Stats;

/// <summary>The node's stats port (/metrics, /stats;csv) and the show-stat fields behind it, with real traffic.</summary>
public sealed partial class StatsPortTests : IAsyncLifetime
{
    /// <summary>HAProxy 2.6.12's `show stat` header up to agg_check_status (captured from Debian's haproxy).</summary>
    private const string Haproxy26Header =
        "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,agg_server_status,agg_server_check_status,agg_check_status,";

    private readonly List<IAsyncDisposable> _disposables = [];
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(20) };
    private TestNode _node = null!;

    public Task InitializeAsync()
    {
        _node = TestNode.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _node.DisposeAsync();
        foreach (var disposable in _disposables)
        {
            await disposable.DisposeAsync();
        }
    }

    [Fact]
    public async Task StatsPort_ServesHaproxyCsvAndPrometheusMetricsAfterTraffic()
    {
        var a = await TestBackend.StartAsync("a");
        _disposables.Add(a);
        var port = Ports.GetFreePort();
        var closed = Ports.GetClosedPort();
        var result = await _node.Engine.ApplyAsync(
            1,
            NewConfig([Frontend("web", "app", port)], [Backend("app", Server("a", a.Port), Server("dead", closed))]),
            CancellationToken.None);
        Assert.True(result.Applied, result.Error);
        for (var i = 0; i < 6; i++)
        {
            using var response = await _client.GetAsync($"http://127.0.0.1:{port}/?status={(i == 5 ? 404 : 200)}");
        }

        var statsPort = Ports.GetFreePort();
        var stats = new StatsHttpServer(
            new NodeOptions(new Uri("http://127.0.0.1:1"), "n", new Dictionary<string, string>(), _node.DataDir) { StatsUrls = [new Uri($"http://127.0.0.1:{statsPort}")] },
            _node.Services.GetRequiredService<RuntimeModelHolder>(),
            TimeProvider.System,
            NullLoggerFactory.Instance);
        _disposables.Add(stats);
        await stats.StartAsync(CancellationToken.None);

        // /stats;csv: HAProxy's header, then rows readable by column name.
        var csv = await _client.GetStringAsync($"http://127.0.0.1:{statsPort}/stats;csv");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Haproxy26Header, lines[0]);
        var columns = lines[0][2..].TrimEnd(',').Split(',');
        var rows = lines.Skip(1).Select(line =>
        {
            var fields = line.Split(',');
            Assert.Equal(columns.Length + 1, fields.Length); // every field followed by a comma
            return columns.Select((name, i) => (name, value: fields[i])).ToDictionary(x => x.name, x => x.value);
        }).ToList();
        var frontend = rows.Single(r => r["pxname"] == "web" && r["svname"] == "FRONTEND");
        var server = rows.Single(r => r["pxname"] == "app" && r["svname"] == "a");
        var dead = rows.Single(r => r["pxname"] == "app" && r["svname"] == "dead");
        var backend = rows.Single(r => r["pxname"] == "app" && r["svname"] == "BACKEND");
        Assert.Equal("6", frontend["req_tot"]);
        Assert.Equal("5", frontend["hrsp_2xx"]);
        Assert.Equal("1", frontend["hrsp_4xx"]);
        Assert.Equal("OPEN", frontend["status"]);
        Assert.Equal("0", frontend["type"]);
        Assert.Equal(string.Empty, frontend["qcur"]); // as HAProxy: no queue on a frontend
        Assert.Equal("http", frontend["mode"]);
        Assert.Equal("6", server["stot"]);
        Assert.Equal("5", server["hrsp_2xx"]);
        Assert.Equal("no check", server["status"]);
        Assert.Equal($"127.0.0.1:{a.Port}", server["addr"]);
        Assert.Equal("2", server["type"]);
        Assert.True(long.Parse(server["bout"], CultureInfo.InvariantCulture) > 0);
        Assert.True(long.Parse(dead["econ"], CultureInfo.InvariantCulture) + long.Parse(dead["wretr"], CultureInfo.InvariantCulture) > 0);
        Assert.Equal("roundrobin", backend["algo"]);
        Assert.Equal("UP", backend["status"]);
        Assert.Equal("6", backend["req_tot"]);
        foreach (var timer in new[] { "qtime", "ctime", "rtime", "ttime" })
        {
            Assert.True(long.TryParse(backend[timer], CultureInfo.InvariantCulture, out _), timer);
        }

        // /metrics: valid exposition format with HAProxy's promex names.
        using var metricsResponse = await _client.GetAsync($"http://127.0.0.1:{statsPort}/metrics");
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", metricsResponse.Content.Headers.ContentType!.ToString());
        var metrics = ParseMetrics(await metricsResponse.Content.ReadAsStringAsync());
        Assert.Equal(5, metrics["haproxy_frontend_http_responses_total{proxy=\"web\",code=\"2xx\"}"]);
        Assert.Equal(1, metrics["haproxy_frontend_http_responses_total{proxy=\"web\",code=\"4xx\"}"]);
        Assert.Equal(6, metrics["haproxy_frontend_http_requests_total{proxy=\"web\"}"]);
        Assert.Equal(0, metrics["haproxy_frontend_current_sessions{proxy=\"web\"}"], 1.0);
        Assert.Equal(5, metrics["haproxy_backend_http_responses_total{proxy=\"app\",code=\"2xx\"}"]);
        Assert.Equal(1, metrics["haproxy_server_status{proxy=\"app\",server=\"a\",state=\"UP\"}"]);
        Assert.Equal(0, metrics["haproxy_server_status{proxy=\"app\",server=\"a\",state=\"DOWN\"}"]);
        Assert.Equal(6, metrics["haproxy_server_sessions_total{proxy=\"app\",server=\"a\"}"]);
        Assert.True(metrics.ContainsKey("haproxy_backend_total_time_average_seconds{proxy=\"app\"}"));
        Assert.Equal(0, metrics["haproxy_process_dropped_logs_total"]);

        // .NET runtime: GC counters (System.Runtime meter names) move with the process.
        var gen2 = metrics["dotnet_gc_collections_total{gc_heap_generation=\"gen2\"}"];
        var allocated = metrics["dotnet_gc_heap_total_allocated_bytes_total"];
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        _ = new byte[100_000];
        using var again = await _client.GetAsync($"http://127.0.0.1:{statsPort}/metrics");
        var after = ParseMetrics(await again.Content.ReadAsStringAsync());
        Assert.True(after["dotnet_gc_collections_total{gc_heap_generation=\"gen2\"}"] > gen2);
        Assert.True(after["dotnet_gc_heap_total_allocated_bytes_total"] >= allocated + 100_000);
        Assert.True(after["dotnet_gc_pause_time_seconds_total"] > 0);
        Assert.True(after["dotnet_process_memory_working_set_bytes"] > 10_000_000);
    }

    [Fact]
    public async Task Stats_TimersAverageConnectResponseAndTotalTimes()
    {
        var a = await TestBackend.StartAsync("a");
        _disposables.Add(a);
        var port = Ports.GetFreePort();
        var result = await _node.Engine.ApplyAsync(1, NewConfig([Frontend("web", "app", port)], [Backend("app", Server("a", a.Port))]), CancellationToken.None);
        Assert.True(result.Applied, result.Error);
        for (var i = 0; i < 3; i++)
        {
            using var response = await _client.GetAsync($"http://127.0.0.1:{port}/?delayMs=150");
        }

        var report = _node.Engine.CreateStatsReport();
        var server = report.Rows.Single(r => r.Svname == "a");
        var backend = report.Rows.Single(r => r.Pxname == "app" && r.Svname == "BACKEND");
        Assert.InRange(server.Rtime, 140UL, 2000UL); // the backend waits 150 ms before its headers
        Assert.True(server.Ttime >= server.Rtime, $"ttime {server.Ttime} < rtime {server.Rtime}");
        Assert.InRange(server.Ctime, 0UL, 100UL);
        Assert.InRange(server.Qtime, 0UL, 100UL);
        Assert.Equal(server.Rtime, backend.Rtime);
    }

    [Fact]
    public void SlidingWindowAverage_MatchesHaproxySwrate()
    {
        var counters = new StatCounters();
        counters.AddTimes(0, 0, 100, 300);
        counters.AddTimes(0, 0, 200, 300);
        Assert.Equal(150, counters.Rtime); // below the window: the exact mean
        for (var i = 0; i < 2000; i++)
        {
            counters.AddTimes(0, 0, 40, 300);
        }

        Assert.Equal(40, counters.Rtime);
        Assert.Equal(300, counters.Ttime);

        // HAProxy's arithmetic: sum = sum - ceil(sum / 512) + v
        uint sum = 512 * 100;
        for (var i = 0; i < 512; i++)
        {
            SlidingWindowAverage.Add(ref sum, 512, 0);
        }

        Assert.InRange(SlidingWindowAverage.Average(sum, 10_000), 35u, 38u); // 100 * (1 - 1/512)^512 ≈ 36.8
    }

    [Fact]
    public void Downtime_AddsDownPeriods()
    {
        var counters = new StatCounters();
        counters.ObserveDown(false, 1_000, 0);
        counters.ObserveDown(true, 11_000, 10_000); // down since 10 s
        Assert.Equal(5, counters.DowntimeSeconds(15_000));
        counters.ObserveDown(false, 21_000, 20_000); // up again at 20 s
        Assert.Equal(10, counters.DowntimeSeconds(100_000));
    }

    [Fact]
    public void StatsUrls_ParsesListAndNone()
    {
        Assert.True(NodeOptions.TryParseStatsUrls("none", out var none, out _));
        Assert.Empty(none);
        Assert.True(NodeOptions.TryParseStatsUrls(NodeOptions.DefaultStatsUrls, out var urls, out _));
        Assert.Equal(8404, Assert.Single(urls).Port);
        Assert.False(NodeOptions.TryParseStatsUrls("ftp://x:1", out _, out var error));
        Assert.NotNull(error);
    }

    private static Dictionary<string, double> ParseMetrics(string text)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                Assert.Contains(parts[3], new[] { "gauge", "counter" });
                Assert.True(declared.Add(parts[2]), $"family declared twice: {parts[2]}");
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not an exposition-format sample: {line}");
            Assert.Contains(match.Groups["name"].Value, declared);
            values.Add(match.Groups["series"].Value, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture));
        }

        return values;
    }

    [GeneratedRegex("""^(?<series>(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*"(,[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*")*\})?) (?<value>-?[0-9.eE+-]+)$""")]
    private static partial Regex SampleLine();
}
