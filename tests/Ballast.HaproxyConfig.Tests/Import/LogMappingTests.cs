using Ballast.HaproxyConfig.Import;
using Ballast.HaproxyConfig.Logging;
using Ballast.HaproxyConfig.Tests.Support;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Tests.Import;

/// <summary>Access-log statements: log, log global, no log, option httplog/tcplog/dontlognull, log-format.</summary>
public sealed class LogMappingTests
{
    private static string[] Logs(Frontend frontend) => frontend.Logs.Select(HaproxyLog.Format).ToArray();

    [Fact]
    public void Log_global_copies_the_global_targets_and_defaults_are_inherited()
    {
        var result = HaproxyImporter.Import("""
            global
                log 127.0.0.1:514 local0
                log stdout format raw local1 notice
            defaults
                mode http
                log global
                option httplog
                option dontlognull
            frontend web
                bind :80
                log 10.0.0.9 len 2048 format rfc5424 daemon info
                default_backend app
            backend app
                server s1 127.0.0.1:8080

            """);
        result.NoErrors();
        var web = result.Frontend("web");
        Assert.Equal(["127.0.0.1:514 local0", "stdout format raw local1 notice", "10.0.0.9 len 2048 format rfc5424 daemon info"], Logs(web));
        Assert.Equal((true, false, true, ""), (web.OptionHttplog, web.OptionTcplog, web.OptionDontlognull, web.LogFormat));
        Assert.Contains(result.Report.Mapped, m => m.Line == 6 && m.Target == "defaults: logs += the global section's 2 target(s) (inherited)");
    }

    [Fact]
    public void No_log_and_no_option_clear_what_defaults_set()
    {
        var result = HaproxyImporter.Import("""
            defaults
                mode http
                log stdout local0
                option httplog
                option dontlognull
            frontend quiet
                bind :80
                no log
                no option dontlognull
                default_backend app
            frontend loud
                bind :81
                default_backend app
            backend app
                server s1 127.0.0.1:8080

            """);
        result.NoErrors();
        Assert.Equal((0, true, false), (result.Frontend("quiet").Logs.Count, result.Frontend("quiet").OptionHttplog, result.Frontend("quiet").OptionDontlognull));
        Assert.Equal(["stdout local0"], Logs(result.Frontend("loud")));
    }

    [Fact]
    public void The_last_of_httplog_tcplog_and_log_format_wins()
    {
        var result = HaproxyImporter.Import("""
            defaults
                mode http
                log-format "%ci %ST"
            frontend a
                bind :80
                option tcplog
                default_backend app
            frontend b
                bind :81
                log-format "%ci:%cp %ft %b/%s %ST"
                default_backend app
            backend app
                server s1 127.0.0.1:8080

            """);
        result.NoErrors();
        Assert.Equal((false, true, ""), (result.Frontend("a").OptionHttplog, result.Frontend("a").OptionTcplog, result.Frontend("a").LogFormat));
        Assert.Equal("%ci:%cp %ft %b/%s %ST", result.Frontend("b").LogFormat);
    }

    [Fact]
    public void Option_httplog_in_mode_tcp_falls_back_to_tcplog_with_haproxys_warning()
    {
        var result = HaproxyImporter.Import("""
            listen db
                mode tcp
                bind :5432
                log stdout local0
                option httplog
                server s1 127.0.0.1:5433

            """);
        var db = result.Frontend("db");
        Assert.Equal((false, true), (db.OptionHttplog, db.OptionTcplog));
        result.HasFinding(5, "option httplog", FindingSeverity.Warning, "falling back to 'option tcplog'");
        Assert.Equal(["stdout local0"], Logs(db));
    }

    [Fact]
    public void Unix_socket_targets_and_unsupported_forms_are_reported_and_left_out()
    {
        var result = HaproxyImporter.Import("""
            global
                log /dev/log local0
            frontend web
                mode http
                bind :80
                log global
                log 127.0.0.1 format short local0
                log 127.0.0.1 local9
                log-format "%[src] %ST"
                default_backend app
            backend app
                mode http
                log 127.0.0.1 local0
                option httplog
                server s1 127.0.0.1:8080

            """);
        result.HasFinding(2, "log", FindingSeverity.Unsupported, "UNIX socket '/dev/log'");
        result.HasFinding(6, "log", FindingSeverity.Unsupported, "none of the global section's 1 log target(s)");
        result.HasFinding(7, "log", FindingSeverity.Unsupported, "log format 'short'");
        result.HasFinding(8, "log", FindingSeverity.Error, "unknown facility 'local9'");
        result.HasFinding(9, "log-format", FindingSeverity.Unsupported, "sample fetches");
        result.HasFinding(13, "log", FindingSeverity.Ignored, "Ballast writes access logs per frontend");
        result.HasFinding(14, "option httplog", FindingSeverity.Ignored, "no frontend capability");
        var web = result.Frontend("web");
        Assert.Equal((0, ""), (web.Logs.Count, web.LogFormat));
    }
}
