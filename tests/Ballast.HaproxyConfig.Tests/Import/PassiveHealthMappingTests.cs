using Ballast.HaproxyConfig.Export;
using Ballast.HaproxyConfig.Import;
using Ballast.HaproxyConfig.Tests.Support;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Tests.Import;

/// <summary>Server <c>observe</c>, <c>error-limit</c> and <c>on-error</c> (HAProxy manual, section 5.2).</summary>
public sealed class PassiveHealthMappingTests
{
    private static ImportResult Import(string mode, params string[] lines) =>
        HaproxyImporter.Import($"backend b\n    mode {mode}\n" + string.Concat(lines.Select(l => $"    {l}\n")));

    [Fact]
    public void Maps_observe_error_limit_and_on_error_with_default_server_and_reports_nothing()
    {
        var result = Import(
            "http",
            "default-server observe layer7 error-limit 5",
            "server a 10.0.0.1:80 check on-error mark-down",
            "server b 10.0.0.2:80 check observe layer4 on-error sudden-death error-limit 2");
        result.NoErrors();
        Assert.Empty(result.Report.Findings);
        var servers = result.Backend("b").Servers;
        Assert.Equal((Observe.Layer7, 5u, OnError.MarkDown), (servers[0].Observe, servers[0].ErrorLimit, servers[0].OnError));
        Assert.Equal((Observe.Layer4, 2u, OnError.SuddenDeath), (servers[1].Observe, servers[1].ErrorLimit, servers[1].OnError));
    }

    [Fact]
    public void Absent_on_error_is_haproxys_fail_check_on_an_observed_server()
    {
        var result = Import("tcp", "server a 10.0.0.1:80 check observe layer4", "server b 10.0.0.2:80 check");
        Assert.Equal(OnError.FailCheck, result.Backend("b").Servers[0].OnError);
        Assert.Equal(new Server { Name = "b", Address = "10.0.0.2", Port = 80, Check = true }, result.Backend("b").Servers[1]);
    }

    [Theory]
    [InlineData("observe layer9")]
    [InlineData("on-error reboot")]
    [InlineData("error-limit 0")]
    public void Bad_arguments_are_errors(string option)
    {
        var result = Import("http", $"server a 10.0.0.1:80 check {option}");
        Assert.Contains(result.Report.Findings, f => f.Severity == FindingSeverity.Error);
    }

    [Fact]
    public void Export_round_trips_and_haproxy_accepts_it()
    {
        var result = Import(
            "http",
            "server a 10.0.0.1:80 check observe layer7 error-limit 3 on-error mark-down",
            "server b 10.0.0.2:80 check observe layer4 on-error fastinter",
            "server c 10.0.0.3:80 check observe layer4",
            "server d 10.0.0.4:80 check");
        result.NoErrors();
        var text = HaproxyExporter.Export(result.Config);
        Assert.Contains("observe layer7 error-limit 3 on-error mark-down", text, StringComparison.Ordinal);
        Assert.Contains("observe layer4 on-error fastinter", text, StringComparison.Ordinal);
        Assert.DoesNotContain("fail-check", text, StringComparison.Ordinal);
        var again = HaproxyImporter.Import(text).Config.Backends.Single(b => b.Name == "b");
        Assert.Equal(result.Backend("b").Servers, again.Servers);
        var check = HaproxyBinary.Check(text);
        Assert.True(check.ExitCode is 0 or 2, check.Output); // 2 = valid but no listener
        Assert.Empty(check.Alerts);
        Assert.Empty(check.Warnings);
    }
}
