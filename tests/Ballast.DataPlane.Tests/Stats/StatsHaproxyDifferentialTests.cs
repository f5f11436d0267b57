using System.Globalization;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using static Ballast.DataPlane.Tests.Rules.RuleBuilders;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Stats;

/// <summary>
/// Issue 5 stats fields <c>act</c>, <c>bck</c>, <c>weight</c>, <c>dreq</c>, <c>hrsp_3xx</c>/<c>hrsp_4xx</c>,
/// <c>req_tot</c> and backend <c>stot</c>: the same configuration and requests through Ballast and through Debian's HAProxy 2.6, whose
/// <c>/stats;csv</c> gives the expected values.
/// </summary>
public sealed class StatsHaproxyDifferentialTests : ProxyEngineTestBase
{
    private static readonly string[] Fields = ["act", "bck", "weight", "dreq", "hrsp_3xx", "hrsp_4xx", "req_tot", "stot"];

    [Fact]
    public async Task ActBckWeightDreqAndResponseClasses_MatchHaproxy()
    {
        HaproxyProcess.EnsureInstalled();
        var a = await StartBackendAsync("a");
        var b = await StartBackendAsync("b");
        var spare = await StartBackendAsync("spare");
        var ballastPort = Ports.GetFreePort();
        var (haproxyPort, statsPort) = (Ports.GetFreePort(), Ports.GetFreePort());

        var frontend = Frontend("web", "app", ballastPort);
        frontend.HttpRequest.Add(new V1.HttpRule { Action = V1.HttpAction.Deny, Condition = IfInline(Acl(string.Empty, "path_beg", string.Empty, "/deny")) });
        frontend.HttpRequest.Add(new V1.HttpRule { Action = V1.HttpAction.Redirect, RedirectType = V1.RedirectType.Location, Value = "/elsewhere", Status = 302, Condition = IfInline(Acl(string.Empty, "path", string.Empty, "/old")) });
        var backend = Backend("app", Server("a", a.Port, weight: 3), Server("b", b.Port, weight: 5), Server("spare", spare.Port, weight: 2));
        backend.Servers[2].Backup = true;
        backend.HttpRequest.Add(new V1.HttpRule { Action = V1.HttpAction.Deny, Condition = IfInline(Acl(string.Empty, "path_beg", string.Empty, "/bdeny")) });
        await ApplyOkAsync(1, NewConfig([frontend], [backend]));

        var config = string.Join('\n',
            "global", "  nbthread 1", "defaults", "  mode http", "  timeout connect 5s", "  timeout client 30s", "  timeout server 30s",
            "  option http-ignore-probes", // the start-up port probe is not a 4xx
            "frontend web", $"  bind 127.0.0.1:{haproxyPort}", "  http-request deny if { path_beg /deny }",
            "  http-request redirect location /elsewhere code 302 if { path /old }", "  default_backend app",
            "backend app", "  http-request deny if { path_beg /bdeny }",
            $"  server a 127.0.0.1:{a.Port} weight 3", $"  server b 127.0.0.1:{b.Port} weight 5", $"  server spare 127.0.0.1:{spare.Port} weight 2 backup",
            "listen stats", $"  bind 127.0.0.1:{statsPort}", "  stats enable", "  stats uri /stats", string.Empty);
        await using var haproxy = await HaproxyProcess.StartAsync(config, [haproxyPort, statsPort]);

        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var port in new[] { ballastPort, haproxyPort })
        {
            foreach (var path in new[] { "/", "/deny/x", "/bdeny/x", "/old", "/missing?status=404" })
            {
                using var response = await client.GetAsync($"http://127.0.0.1:{port}{path}");
            }
        }

        var expected = ParseCsv(await Client.GetStringAsync($"http://127.0.0.1:{statsPort}/stats;csv"));
        // The node counts a response when it has finished writing it, which can be just after the client has read it.
        var report = Node.Engine.CreateStatsReport();
        for (var i = 0; i < 100 && FrontendResponses(report, "web") < 5; i++)
        {
            await Task.Delay(50);
            report = Node.Engine.CreateStatsReport();
        }

        foreach (var (px, sv) in new[] { ("web", "FRONTEND"), ("app", "a"), ("app", "spare"), ("app", "BACKEND") })
        {
            var row = report.Rows.Single(r => r.Pxname == px && r.Svname == sv);
            var proxyRow = sv is "FRONTEND" or "BACKEND";
            var actual = new Dictionary<string, string>
            {
                ["act"] = sv == "FRONTEND" ? string.Empty : row.Act.ToString(CultureInfo.InvariantCulture),
                ["bck"] = sv == "FRONTEND" ? string.Empty : row.Bck.ToString(CultureInfo.InvariantCulture),
                ["weight"] = sv == "FRONTEND" ? string.Empty : row.Weight.ToString(CultureInfo.InvariantCulture),
                ["dreq"] = proxyRow ? row.Dreq.ToString(CultureInfo.InvariantCulture) : string.Empty,
                ["hrsp_3xx"] = proxyRow ? row.Hrsp3Xx.ToString(CultureInfo.InvariantCulture) : string.Empty, // per server: depends on the pick
                ["hrsp_4xx"] = proxyRow ? row.Hrsp4Xx.ToString(CultureInfo.InvariantCulture) : string.Empty,
                ["req_tot"] = proxyRow ? row.ReqTot.ToString(CultureInfo.InvariantCulture) : string.Empty,
                ["stot"] = sv == "BACKEND" ? row.Stot.ToString(CultureInfo.InvariantCulture) : string.Empty, // frontend: per connection
            };
            var haproxyRow = expected[(px, sv)];
            foreach (var field in Fields)
            {
                if (actual[field].Length == 0)
                {
                    continue;
                }

                Assert.True(haproxyRow[field] == actual[field], $"{px}/{sv} {field}: haproxy {haproxyRow[field]}, ballast {actual[field]}");
            }
        }
    }

    private static ulong FrontendResponses(V1.StatsReport report, string frontend)
    {
        var row = report.Rows.Single(r => r.Pxname == frontend && r.Svname == "FRONTEND");
        return row.Hrsp1Xx + row.Hrsp2Xx + row.Hrsp3Xx + row.Hrsp4Xx + row.Hrsp5Xx + row.HrspOther;
    }

    private static Dictionary<(string Px, string Sv), Dictionary<string, string>> ParseCsv(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var columns = lines[0][2..].Split(',');
        return lines.Skip(1)
            .Select(line => columns.Zip(line.Split(',')).ToDictionary(x => x.First, x => x.Second))
            .ToDictionary(row => (row["pxname"], row["svname"]));
    }
}
