using Ballast.HaproxyConfig.Export;
using Ballast.HaproxyConfig.Import;
using Ballast.HaproxyConfig.Tests.Support;
using Ballast.Proto.V1;
using Xunit.Abstractions;

namespace Ballast.HaproxyConfig.Tests.Export;

/// <summary>
/// Debian's HAProxy 2.6 (<c>haproxy -c -f</c>) accepts every export. These tests fail, never skip, when HAProxy
/// is not installed.
/// </summary>
public sealed class HaproxyCheckTests(ITestOutputHelper output)
{
    [Fact]
    public void Haproxy_accepts_the_export_of_a_model_using_every_field_without_warnings()
    {
        var config = Configs.Web();
        config.Backends[0].Servers[1].State = ServerState.Drain;
        AssertAccepted(HaproxyExporter.Export(config), allowWarnings: false);
    }

    [Fact]
    public void Haproxy_accepts_the_export_of_server_check_queue_retry_and_header_options()
    {
        var config = Configs.Web();
        var backend = config.Backends[0];
        backend.Mode = Mode.Http;
        backend.Allbackups = true;
        backend.TimeoutQueueMs = 3000;
        backend.Retries = 2;
        backend.RetryOn.Add("conn-failure");
        backend.RetryOn.Add("empty-response");
        backend.RetryOn.Add("503");
        backend.Redispatch = -1;
        backend.Forwardfor = true;
        backend.ForwardforExcept = "127.0.0.0/8";
        backend.ForwardforHeader = "X-Client-IP";
        backend.HealthCheck = new HealthCheck
        {
            Type = HealthCheckType.HealthCheckHttp, HttpMethod = "GET", HttpPath = "/primary", FastinterMs = 500, DowninterMs = 5000,
            ExpectKind = HttpCheckExpect.Rstatus, ExpectValue = "^2[0-9]{2}$",
        };
        backend.Servers[0].Check = true;
        backend.Servers[0].CheckPort = 8008;
        backend.Servers[0].CheckAddr = "127.0.0.2";
        backend.Servers[0].SlowstartMs = 10000;
        backend.Servers[0].Maxconn = 10;
        backend.Servers[0].Maxqueue = 25;
        backend.Servers[1].Backup = true;
        var text = HaproxyExporter.Export(config);
        Assert.Contains("maxqueue 25", text, StringComparison.Ordinal);
        Assert.Contains("http-check expect rstatus", text, StringComparison.Ordinal);
        Assert.Contains("option redispatch -1", text, StringComparison.Ordinal);
        AssertAccepted(text, allowWarnings: false);

        var reimported = HaproxyImporter.Import(text).Config.Backends.Single(b => b.Name == backend.Name);
        Assert.Equal((true, 10000u, 8008u, "127.0.0.2"), (reimported.Servers[0].Check, reimported.Servers[0].SlowstartMs, reimported.Servers[0].CheckPort, reimported.Servers[0].CheckAddr));
        Assert.True(reimported.Servers[1].Backup);
        Assert.Equal((10u, 25u), (reimported.Servers[0].Maxconn, reimported.Servers[0].Maxqueue));
        Assert.Equal((500u, 5000u), (reimported.HealthCheck.FastinterMs, reimported.HealthCheck.DowninterMs));
    }

    [Fact]
    public void Haproxy_accepts_the_export_of_every_balance_algorithm_and_check_type()
    {
        var config = Configs.TcpAndBalances();
        var frontend = new Frontend { Name = "http-in", Mode = Mode.Http, DefaultBackend = "b-hdr" };
        frontend.Binds.Add(new Bind { Address = "127.0.0.1", Port = 18080 });
        config.Frontends.Add(frontend);
        AssertAccepted(HaproxyExporter.Export(config), allowWarnings: false);
    }

    [Fact]
    public void Haproxy_accepts_the_export_of_balance_arguments_and_hash_types()
    {
        var config = Configs.BalanceArguments();
        var frontend = new Frontend { Name = "http-in", Mode = Mode.Http, DefaultBackend = "uri-all" };
        frontend.Binds.Add(new Bind { Address = "127.0.0.1", Port = 18080 });
        config.Frontends.Add(frontend);
        var text = HaproxyExporter.Export(config);
        Assert.Contains("    balance uri len 10 depth 2 path-only whole\n", text, StringComparison.Ordinal);
        Assert.Contains("    hash-type consistent wt6 avalanche\n", text, StringComparison.Ordinal);
        AssertAccepted(text, allowWarnings: false);
    }

    [Theory]
    [MemberData(nameof(Corpus.All), MemberType = typeof(Corpus))]
    public void Haproxy_accepts_the_export_of_every_corpus_model(string file)
    {
        var result = HaproxyImporter.Import(Corpus.Read(file), new Dictionary<string, string> { ["FD_APP1"] = "3" });
        var imported = result.Config;
        var hasListener = imported.Frontends.Any(f => f.Binds.Count > 0);
        using var certificates = new CertificateDirectory(result.Report.CertificateFiles);
        var options = new HaproxyExportOptions { CertificateDirectory = certificates.Path };
        AssertAccepted(HaproxyExporter.Export(imported, options), allowWarnings: true, exitCode: hasListener ? 0 : 2);
    }

    [Fact]
    public void Haproxy_accepts_the_export_of_access_log_settings_and_they_read_back()
    {
        var config = Configs.Web();
        var web = config.Frontends[0];
        web.Logs.Add(new LogTarget { Address = "127.0.0.1:514", MaxLen = 1024, Format = LogFormat.Rfc5424, Facility = "local0", Level = "info" });
        web.Logs.Add(new LogTarget { Address = "stdout", Format = LogFormat.Raw, Facility = "daemon" });
        web.Logs.Add(new LogTarget { Address = "udp@localhost:1514", Facility = "local3", Level = "notice" });
        web.OptionHttplog = true;
        web.OptionDontlognull = true;
        web.LogFormat = "%ci:%cp [%tr] %ft %b/%s %ST %B %{+Q}r";
        var tcp = new Frontend { Name = "db", Mode = Mode.Tcp, DefaultBackend = "db", OptionTcplog = true };
        tcp.Binds.Add(new Bind { Address = "127.0.0.1", Port = 5432 });
        tcp.Logs.Add(new LogTarget { Address = "stderr", Facility = "local1" });
        config.Frontends.Add(tcp);
        var db = new Backend { Name = "db", Mode = Mode.Tcp, HealthCheck = new HealthCheck() };
        db.Servers.Add(new Server { Name = "pg", Address = "127.0.0.1", Port = 5433 });
        config.Backends.Add(db);

        var text = HaproxyExporter.Export(config);
        Assert.Contains("log 127.0.0.1:514 len 1024 format rfc5424 local0 info", text, StringComparison.Ordinal);
        Assert.Contains("log-format '%ci:%cp [%tr] %ft %b/%s %ST %B %{+Q}r'", text, StringComparison.Ordinal);
        AssertAccepted(text, allowWarnings: true);
        var back = HaproxyImporter.Import(text);
        back.NoErrors();
        Assert.Equal(config, back.Config);
    }

    private void AssertAccepted(string text, bool allowWarnings, int exitCode = 0)
    {
        var check = HaproxyBinary.Check(text);
        output.WriteLine(check.Output);
        Assert.True(check.ExitCode == exitCode, $"haproxy -c exited with {check.ExitCode} (expected {exitCode}):\n{check.Output}\n--- exported file ---\n{text}");
        Assert.Empty(check.Alerts);
        if (!allowWarnings)
        {
            Assert.Empty(check.Warnings);
        }
    }
}
