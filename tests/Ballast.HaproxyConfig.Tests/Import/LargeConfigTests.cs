using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ballast.HaproxyConfig.Import;
using Ballast.Proto.V1;
using Xunit.Abstractions;

namespace Ballast.HaproxyConfig.Tests.Import;

/// <summary>
/// The issue's size target: 1,000 backends and 10,000 servers must import in well under 2 s. The time is printed,
/// not asserted (shared CI machines); correctness is asserted.
/// </summary>
public sealed class LargeConfigTests(ITestOutputHelper output)
{
    private const int Backends = 1000;
    private const int ServersPerBackend = 10;
    private const int Frontends = 20;

    [Fact]
    public void Imports_1000_backends_and_10000_servers_and_prints_the_time()
    {
        var text = Generate();
        var lines = text.Count(c => c == '\n');

        var (result, cold, coldCpu) = Measure(text);
        var (again, warm, warmCpu) = Measure(text);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{lines} lines, {text.Length / 1024} KiB, {Backends} backends, {Backends * ServersPerBackend} servers: " +
            $"import {cold.TotalMilliseconds:F0} ms wall / {coldCpu.TotalMilliseconds:F0} ms CPU cold (first call, JIT included), " +
            $"{warm.TotalMilliseconds:F0} ms wall / {warmCpu.TotalMilliseconds:F0} ms CPU warm; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} CPUs"));

        Assert.True(result.Succeeded, string.Join('\n', result.Report.OfSeverity(FindingSeverity.Error).Take(5)));
        Assert.Equal(Backends, result.Config.Backends.Count);
        Assert.Equal(Backends * ServersPerBackend, result.Config.Backends.Sum(b => b.Servers.Count));
        Assert.Equal(Frontends, result.Config.Frontends.Count);
        Assert.Equal(result.Config, again.Config);

        var last = result.Config.Backends[^1];
        Assert.Equal($"be_{Backends - 1:D4}", last.Name);
        Assert.Equal(new HealthCheck { Type = HealthCheckType.HealthCheckHttp, HttpMethod = "GET", HttpPath = "/health", ExpectStatus = 200, InterMs = 2000, Rise = 2, Fall = 3 }, last.HealthCheck);
        Assert.Equal(new Server { Name = "srv09", Address = "10.0.39.15", Port = 8080, Weight = 10, Maxconn = 100, Check = true }, last.Servers[^1]);
        Assert.Equal(Backends, result.Config.Frontends.Sum(f => f.Acls.Count));
        Assert.Equal(Backends, result.Config.Frontends.Sum(f => f.UseBackends.Count));
        Assert.DoesNotContain(result.Report.Findings, f => f.Keyword is "acl" or "use_backend");
    }

    private static (ImportResult Result, TimeSpan Wall, TimeSpan Cpu) Measure(string text)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var result = HaproxyImporter.Import(text);
        wall.Stop();
        return (result, wall.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    /// <summary>A generated haproxy.cfg: 20 frontends routing with ACLs to 1,000 backends of 10 checked servers.</summary>
    private static string Generate()
    {
        var text = new StringBuilder(2_000_000);
        text.Append("global\n    maxconn 100000\n    nbthread 8\n\ndefaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n\n");
        for (var f = 0; f < Frontends; f++)
        {
            text.Append(CultureInfo.InvariantCulture, $"frontend fe_{f:D2}\n    bind :{10000 + f}\n    maxconn 5000\n");
            for (var b = f * (Backends / Frontends); b < (f + 1) * (Backends / Frontends); b++)
            {
                text.Append(CultureInfo.InvariantCulture, $"    acl host_{b:D4} hdr(host) -i app{b}.example.com\n    use_backend be_{b:D4} if host_{b:D4}\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"    default_backend be_{f * (Backends / Frontends):D4}\n\n");
        }

        for (var b = 0; b < Backends; b++)
        {
            text.Append(CultureInfo.InvariantCulture, $"backend be_{b:D4}\n    balance roundrobin\n    option httpchk GET /health\n    http-check expect status 200\n    default-server inter 2s rise 2 fall 3\n");
            for (var s = 0; s < ServersPerBackend; s++)
            {
                var n = (b * ServersPerBackend) + s;
                text.Append(CultureInfo.InvariantCulture, $"    server srv{s:D2} 10.{n / 65536}.{n / 256 % 256}.{n % 256}:8080 check weight {s + 1} maxconn 100\n");
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
