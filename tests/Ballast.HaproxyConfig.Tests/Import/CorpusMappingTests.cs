using Ballast.HaproxyConfig.Import;
using Ballast.HaproxyConfig.Rules;
using Ballast.HaproxyConfig.Tests.Support;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Tests.Import;

/// <summary>What each corpus file maps to, and where each part the model lacks is reported.</summary>
public sealed class CorpusMappingTests
{
    private static (string Text, ImportResult Result) Load(string file, Dictionary<string, string>? environment = null)
    {
        var text = Corpus.Read(file);
        return (text, HaproxyImporter.Import(text, environment ?? []));
    }

    /// <summary>Asserts a finding of <paramref name="severity"/> for <paramref name="keyword"/> on the line starting with <paramref name="linePrefix"/>.</summary>
    private static void Reported(string text, ImportResult result, string linePrefix, string keyword, FindingSeverity severity = FindingSeverity.Unsupported, int occurrence = 1)
    {
        var line = ReportAssertions.LineOf(text, linePrefix, occurrence);
        Assert.True(
            result.Report.Findings.Any(f => f.Line == line && f.Keyword == keyword && f.Severity == severity),
            $"no {severity} finding '{keyword}' on line {line} ({linePrefix}); findings there: {string.Join("; ", result.Report.Findings.Where(f => f.Line == line))}");
    }

    [Fact]
    public void Manual_frontend_backend_example()
    {
        var (text, result) = Load("manual-2.6-frontend-backend.cfg");
        result.NoErrors();
        var frontend = result.Frontend("http-in");
        Assert.Equal((Mode.Http, "servers"), (frontend.Mode, frontend.DefaultBackend));
        Assert.Equal(new Bind { Address = "*", Port = 80 }, Assert.Single(frontend.Binds));
        var server = Assert.Single(result.Backend("servers").Servers);
        Assert.Equal(new Server { Name = "server1", Address = "127.0.0.1", Port = 8000, Maxconn = 32 }, server);
        Reported(text, result, "daemon", "daemon", FindingSeverity.Ignored);
        Reported(text, result, "maxconn 256", "maxconn", FindingSeverity.Ignored);
        // 50000 ms (client, server) and 5000 ms (connect) are what the model means by 0, so they are stored as 0.
        Assert.Equal(0u, frontend.TimeoutClientMs);
        Assert.Equal((0u, 0u), (result.Backend("servers").TimeoutConnectMs, result.Backend("servers").TimeoutServerMs));
        Assert.Contains(result.Report.Mapped, m => m.Keyword == "timeout client" && m.Target.Contains("timeout client 50000 ms", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Report.Findings, f => f.Keyword.StartsWith("timeout", StringComparison.Ordinal));
    }

    [Fact]
    public void Manual_listen_example_maps_to_the_same_model_as_the_frontend_backend_example()
    {
        var (_, listen) = Load("manual-2.6-listen.cfg");
        var (_, split) = Load("manual-2.6-frontend-backend.cfg");
        listen.NoErrors();
        var frontend = listen.Frontend("http-in");
        Assert.Equal("http-in", frontend.DefaultBackend);
        Assert.Equal(split.Frontend("http-in").Binds, frontend.Binds);
        Assert.Equal(split.Backend("servers").Servers, listen.Backend("http-in").Servers);
        Assert.Equal(Mode.Http, listen.Backend("http-in").Mode);
    }

    [Fact]
    public void Manual_equivalent_format_example_reads_despite_comments_glued_to_words()
    {
        var (_, result) = Load("manual-2.1-equivalent-format.cfg");
        Assert.Equal(Mode.Http, result.Frontend("foo").Mode);
        Assert.Equal(2, result.Report.OfSeverity(FindingSeverity.Warning).Count());
    }

    [Fact]
    public void Manual_bind_and_listen_examples()
    {
        var (text, result) = Load("manual-bind-and-listen-examples.cfg", new() { ["FD_APP1"] = "3" });
        result.NoErrors();
        Assert.Equal(new[] { "*:80", "*:443", "10.0.0.1:10080", "10.0.0.1:10443" }, result.Frontend("http_proxy").Binds.Select(b => $"{b.Address}:{b.Port}"));
        Assert.Equal(new[] { "::" }, result.Frontend("http_https_proxy_explicit").Binds.Select(b => b.Address));
        Reported(text, result, "bind /var/run/ssl-frontend.sock", "bind");
        Assert.Equal(["site.pem"], result.Frontend("http_https_proxy").Binds.Single(b => b.Port == 443).Certificates); // bind :443 ssl crt /etc/haproxy/site.pem
        Assert.Contains(result.Report.CertificateFiles, f => f.Path == "/etc/haproxy/site.pem");
        Reported(text, result, "bind ipv4@public_ssl", "bind");
        Reported(text, result, "bind unix@", "bind");
        Reported(text, result, "bind \"fd@", "bind");
        Reported(text, result, "persist rdp-cookie", "persist");
        Reported(text, result, "balance rdp-cookie", "balance rdp-cookie");
        Reported(text, result, "tcp-request inspect-delay", "tcp-request inspect-delay");
        Reported(text, result, "rate-limit sessions", "rate-limit");
        Assert.Equal(Mode.Tcp, result.Backend("smtp").Mode);
        Assert.Equal(new[] { "srv1", "srv2" }, result.Backend("tse-farm").Servers.Select(s => s.Name));
    }

    [Fact]
    public void Manual_health_check_examples()
    {
        var (text, result) = Load("manual-health-check-examples.cfg");
        result.NoErrors();
        var relay = result.Backend("https_relay").HealthCheck;
        Assert.Equal((HealthCheckType.HealthCheckHttp, "OPTIONS", "*"), (relay.Type, relay.HttpMethod, relay.HttpPath));
        Reported(text, result, "option httpchk OPTIONS * HTTP/1.1", "option httpchk");
        Reported(text, result, "http-check send hdr Host www", "http-check send hdr");
        Assert.Equal(80u, result.Backend("https_relay").Servers.Single(s => s.Name == "apache1").CheckPort);

        var both = result.Backend("http_and_https");
        Assert.Equal(("GET", "/"), (both.HealthCheck.HttpMethod, both.HealthCheck.HttpPath));
        Reported(text, result, "http-check connect", "http-check connect");
        Reported(text, result, "http-check connect port 443", "http-check connect");
        Assert.Equal((HttpCheckExpect.Status, "200-399"), (both.HealthCheck.ExpectKind, both.HealthCheck.ExpectValue));
        Reported(text, result, "http-check expect status 200-399", "http-check expect", occurrence: 2);
        Reported(text, result, "server www 10.0.0.1 check port 80", "server");
        Assert.Empty(both.Servers);

        var expect = result.Backend("expect_examples").HealthCheck;
        Assert.Equal((0u, HttpCheckExpect.Status, "200,201,300-310"), (expect.ExpectStatus, expect.ExpectKind, expect.ExpectValue));
        Assert.Equal(4, result.Report.Findings.Count(f => f.Section == "backend expect_examples" && f.Keyword == "http-check expect"));

        var simple = result.Backend("simple_httpchk").HealthCheck;
        Assert.Equal(new HealthCheck { Type = HealthCheckType.HealthCheckHttp, HttpMethod = "GET", HttpPath = "/health", ExpectStatus = 200, InterMs = 5000, Rise = 2, Fall = 3, TimeoutMs = 2000 }, simple);
        Assert.DoesNotContain(result.Report.Findings, f => f.Section == "backend simple_httpchk");
    }

    [Fact]
    public void Manual_stick_examples_report_every_stick_and_tracking_line()
    {
        var (text, result) = Load("manual-stick-examples.cfg");
        result.NoErrors();
        Reported(text, result, "stick store-request src", "stick store-request");
        Assert.Equal("type ip size 200k expire 30m", HaproxyRules.Format(Assert.IsType<StickTable>(result.Backend("pop").StickTable)));
        Reported(text, result, "stick match src table pop", "stick match");
        Reported(text, result, "tcp-request connection track-sc0", "tcp-request connection");
        var http = result.Frontend("http");
        Assert.Equal("use_backend http_dynamic if { path_end .php }", $"use_backend {http.UseBackends.Single().Backend} {HaproxyRules.Format(http.UseBackends.Single().Condition)}");
        Assert.Null(http.StickTable);
        Reported(text, result, "stick-table type ip size 1m expire 5m store gpc0", "stick-table");
        var dynamic = result.Backend("http_dynamic");
        Assert.Empty(dynamic.Acls);
        Reported(text, result, "acl click_too_fast", "acl");
        Reported(text, result, "acl mark_as_abuser", "acl");
        Assert.Equal("type ip size 1m expire 5m store http_req_rate(10s)", HaproxyRules.Format(dynamic.StickTable));
        Reported(text, result, "tcp-request content reject", "tcp-request content");
        Assert.Equal("http_dynamic", result.Frontend("http").DefaultBackend);
        Assert.Equal(Mode.Tcp, result.Backend("pop").Mode);
    }

    [Fact]
    public void Payment_platform_maps_proxies_servers_and_checks_and_reports_tls_acls_rules_and_stick_tables()
    {
        var (text, result) = Load("payment-platform.cfg");
        result.NoErrors();

        var edge = result.Frontend("fe_https");
        Assert.Equal((Mode.Http, 20000u, "be_web"), (edge.Mode, edge.Maxconn, edge.DefaultBackend));
        Assert.Equal(new[] { 80u, 443u }, edge.Binds.Select(b => b.Port));
        Assert.True(edge.Binds[1] is { Ssl: true, Certificates: ["payments.pem"], Alpn: ["h2", "http/1.1"] }); // bind :443 ssl crt ... alpn h2,http/1.1
        Assert.Equal(new[] { "is_api", "is_checkout", "is_webhook", "is_admin", "internal_net" }, edge.Acls.Select(a => a.Name));
        Assert.Equal(new[] { "be_api", "be_checkout", "be_webhooks", "be_admin" }, edge.UseBackends.Select(u => u.Backend));
        Assert.Equal(
            new[] { "track-sc0 src", "deny deny_status 429 if { sc_http_req_rate(0) gt 200 }", "deny if is_admin !internal_net" },
            edge.HttpRequest.Where(r => r.Action is HttpAction.TrackSc0 or HttpAction.Deny).Select(HaproxyRules.Format));
        Assert.Equal(2, edge.HttpResponse.Count);
        Assert.Equal("type ip size 200k expire 30s store http_req_rate(10s)", HaproxyRules.Format(edge.StickTable));
        Assert.Equal(30000u, edge.TimeoutClientMs);
        Reported(text, result, "http-request redirect", "http-request redirect");
        Reported(text, result, "http-request set-header X-Forwarded-Proto", "http-request set-header");
        Assert.Equal((10000u, 2000u, true), (edge.TimeoutHttpRequestMs, edge.TimeoutHttpKeepAliveMs, edge.Forwardfor)); // inherited from defaults
        Assert.DoesNotContain(result.Report.Findings, f => f.Section is "defaults" or "frontend fe_https" or "backend be_web" && f.Keyword is "acl" or "use_backend" or "stick-table" or "retries" or "option forwardfor" or "option redispatch" or "cookie" or "server cookie");
        Reported(text, result, "ssl-default-bind-options", "ssl-default-bind-options");
        Reported(text, result, "nbthread 4", "nbthread", FindingSeverity.Ignored);
        Assert.True(result.Frontend("fe_https") is { OptionHttplog: true, OptionDontlognull: true, Logs.Count: 0 });
        Reported(text, result, "log /dev/log local0", "log");
        Reported(text, result, "log     global", "log");

        var web = result.Backend("be_web");
        Assert.Equal(new HealthCheck { Type = HealthCheckType.HealthCheckHttp, HttpMethod = "GET", HttpPath = "/healthz", ExpectStatus = 200, InterMs = 2000, Rise = 2, Fall = 3, TimeoutMs = 3000 }, web.HealthCheck);
        Assert.Equal(new[] { ServerState.Ready, ServerState.Ready, ServerState.Maint }, web.Servers.Select(s => s.State));
        Assert.Equal("SRVID insert indirect nocache httponly secure", HaproxyRules.Format(web.Cookie));
        Assert.Equal(new[] { "web1", "web2", "web3" }, web.Servers.Select(s => s.Cookie));
        Assert.Equal((true, -1, 3u, 30000u, 0u), (web.Forwardfor, web.Redispatch, web.Retries, web.TimeoutServerMs, web.TimeoutConnectMs));
        Assert.Equal(30000u, web.TimeoutQueueMs);

        var api = result.Backend("be_api");
        Assert.Equal((Balance.Leastconn, "GET", "/api/health"), (api.Balance, api.HealthCheck.HttpMethod, api.HealthCheck.HttpPath));
        Assert.Equal(new[] { 100u, 100u, 50u, 5u }, api.Servers.Select(s => s.Weight));
        Assert.All(api.Servers, s => Assert.True(s.Check));
        Assert.Equal(2000u, api.HealthCheck.InterMs);
        var canary = result.Finding(ReportAssertions.LineOf(text, "server api-canary"), "server inter");
        Assert.StartsWith(Reasons(FindingSeverity.Unsupported), canary.Reason, StringComparison.Ordinal);
        Assert.Contains("per-server check timing differs", canary.Reason, StringComparison.Ordinal);
        Reported(text, result, "stick on req.hdr", "stick on");
        Reported(text, result, "stick-table type string len 64", "stick-table");
        Assert.Null(api.StickTable);
        Assert.Empty(api.StickOn);
        Reported(text, result, "http-check send meth GET uri /api/health", "http-check send hdr");

        var checkout = result.Backend("be_checkout");
        Assert.Equal((Balance.Source, "HEAD", 204u), (checkout.Balance, checkout.HealthCheck.HttpMethod, checkout.HealthCheck.ExpectStatus));
        Assert.Equal(3, checkout.Servers.Count);
        Assert.True(checkout.Servers.Single(s => s.Name == "co-dr").Backup);
        Assert.Equal((HashType.Consistent, HashFunction.Default, false), (checkout.HashType, checkout.HashFunction, checkout.HashAvalanche));
        Assert.All(checkout.Servers, s => Assert.True(s is { Ssl: true, Verify: ServerVerify.Required, CaFile: "internal.pem" }));
        Assert.Equal(new[] { "checkout.internal", "checkout.internal", string.Empty }, checkout.Servers.Select(s => s.Sni));
        Assert.Equal(new[] { ("payments.pem", true), ("internal.pem", false) }, result.Report.CertificateFiles.Select(f => (f.Name, f.NeedsKey)));
        Assert.Equal(60000u, checkout.TimeoutServerMs);
        Assert.Equal((5u, 1), (result.Backend("be_webhooks").Retries, result.Backend("be_webhooks").Redispatch));

        Assert.Equal(Balance.Uri, result.Backend("be_webhooks").Balance);
        Assert.True(result.Backend("be_webhooks").UriWhole);
        Reported(text, result, "http-request auth", "http-request auth");
        Reported(text, result, "userlist admins", "userlist");
        Reported(text, result, "stats enable", "stats enable");
        Assert.Equal("stats", result.Frontend("stats").DefaultBackend);
    }

    [Fact]
    public void Postgres_patroni_maps_http_checks_on_tcp_proxies_and_the_check_port()
    {
        var (text, result) = Load("postgres-patroni.cfg");
        result.NoErrors();
        foreach (var (name, path, balance) in new[] { ("primary", "/primary", Balance.Roundrobin), ("replicas", "/replica", Balance.Leastconn) })
        {
            var backend = result.Backend(name);
            Assert.Equal((Mode.Tcp, balance), (backend.Mode, backend.Balance));
            Assert.Equal(new HealthCheck { Type = HealthCheckType.HealthCheckHttp, HttpMethod = "OPTIONS", HttpPath = path, ExpectStatus = 200, InterMs = 3000, Rise = 2, Fall = 3, TimeoutMs = 5000 }, backend.HealthCheck);
            Assert.Equal(new[] { "10.0.1.11", "10.0.1.12", "10.0.1.13" }, backend.Servers.Select(s => s.Address));
            Assert.All(backend.Servers, s => Assert.Equal((5432u, 100u, true), (s.Port, s.Maxconn, s.Check)));
            Assert.Equal(Mode.Tcp, result.Frontend(name).Mode);
        }

        Assert.Equal(Mode.Http, result.Frontend("stats").Mode);
        Assert.All(result.Config.Backends.Where(b => b.Mode == Mode.Tcp).SelectMany(b => b.Servers), s => Assert.Equal(8008u, s.CheckPort));

        Reported(text, result, "default-server inter 3s", "default-server on-marked-down");
        Reported(text, result, "default-server inter 3s", "default-server on-marked-down", occurrence: 2);
    }

    [Fact]
    public void Minimal_tcp_config_maps_a_mysql_check_to_a_tcp_check()
    {
        var (text, result) = Load("minimal-tcp.cfg");
        result.NoErrors();
        var backend = result.Backend("mysql_servers");
        Assert.Equal((Mode.Tcp, HealthCheckType.HealthCheckTcp), (backend.Mode, backend.HealthCheck.Type));
        Reported(text, result, "option mysql-check", "option mysql-check");
    }

    [Fact]
    public void Named_defaults_profiles_are_inherited_through_from()
    {
        var (_, result) = Load("named-defaults.cfg");
        result.NoErrors();
        var app = result.Backend("app");
        Assert.Equal((Mode.Http, Balance.Leastconn), (app.Mode, app.Balance));
        Assert.Equal(new HealthCheck { Type = HealthCheckType.HealthCheckHttp, HttpMethod = "GET", HttpPath = "/ping", InterMs = 5000, Rise = 1, Fall = 2 }, app.HealthCheck);
        Assert.Equal(new[] { true, false }, app.Servers.Select(s => s.Check));
        Assert.All(app.Servers, s => Assert.Equal(500u, s.Maxconn));

        var db = result.Backend("db");
        Assert.Equal((Mode.Tcp, Balance.Roundrobin, HealthCheckType.HealthCheckTcp), (db.Mode, db.Balance, db.HealthCheck.Type));
        Assert.Equal(Mode.Tcp, result.Frontend("db-in").Mode);

        var plain = result.Backend("plain");
        Assert.Equal((Mode.Http, HealthCheckType.HealthCheckNone, false), (plain.Mode, plain.HealthCheck.Type, plain.Servers[0].Check));
    }

    [Fact]
    public void Conditionals_and_environment_follow_the_given_variables()
    {
        var (text, plain) = Load("conditionals-and-env.cfg");
        plain.NoErrors();
        Assert.Equal(new[] { 8080u, 8443u }, plain.Frontend("web").Binds.Select(b => b.Port));
        Assert.Equal(new[] { "10.1.0.11", "10.1.0.12" }, plain.Backend("app").Servers.Select(s => s.Address));
        Assert.Equal(("GET", "/health", 200u), (plain.Backend("app").HealthCheck.HttpMethod, plain.Backend("app").HealthCheck.HttpPath, plain.Backend("app").HealthCheck.ExpectStatus));
        Reported(text, plain, ".if defined(DEBUG_HAPROXY)", ".if", FindingSeverity.Ignored);
        Reported(text, plain, ".if streq(\"$WITH_TLS\",yes)", ".if", FindingSeverity.Ignored);

        var (_, configured) = Load("conditionals-and-env.cfg", new()
        {
            ["HTTP_PORT"] = "9090", ["WITH_TLS"] = "yes", ["LB_ALGO"] = "leastconn", ["EXTRA_SERVER"] = "a3 10.1.0.13:80",
            ["HEALTH_PATH"] = "/ready", ["DEBUG_HAPROXY"] = "1",
        });
        configured.NoErrors();
        Assert.Equal(new[] { 9090u, 443u }, configured.Frontend("web").Binds.Select(b => b.Port));
        Assert.Equal(Balance.Leastconn, configured.Backend("app").Balance);
        Assert.Equal(new[] { "a1", "a2", "a3" }, configured.Backend("app").Servers.Select(s => s.Name));
        Assert.Equal("/ready", configured.Backend("app").HealthCheck.HttpPath);
        Reported(text, configured, ".notice \"debug build", ".notice", FindingSeverity.Ignored);
        Assert.True(configured.Frontend("web").Binds[1] is { Ssl: true, Certificates: ["site.pem"] }); // bind :443 ssl crt /etc/haproxy/site.pem
    }

    [Fact]
    public void Quoting_and_escapes_resolve_to_the_intended_names_and_values()
    {
        var (text, result) = Load("quoting-and-escapes.cfg");
        result.NoErrors();
        var frontend = result.Frontend("quoted-fe");
        Assert.Equal(("be-quoted", "127.0.0.1", 8081u), (frontend.DefaultBackend, frontend.Binds[0].Address, frontend.Binds[0].Port));
        var backend = result.Backend("be-quoted");
        Assert.Equal("/status?full&format=json", backend.HealthCheck.HttpPath);
        Assert.Equal(new[] { "s1", "s2", "s3" }, backend.Servers.Select(s => s.Name));
        Assert.All(backend.Servers, s => Assert.True(s.Check));
        Assert.Equal(7u, backend.Servers[2].Weight);
        Reported(text, result, "http-request set-var", "http-request set-var");
        Reported(text, result, "log-format", "log-format");
    }

    [Fact]
    public void Other_section_types_are_reported_and_dns_servers_are_kept_with_their_address()
    {
        var (text, result) = Load("other-sections.cfg");
        result.NoErrors();
        foreach (var section in new[] { "userlist", "peers", "resolvers", "mailers", "cache", "http-errors", "ring", "program" })
        {
            Assert.Contains(result.Report.Findings, f => f.Keyword == section && f.Reason == $"unsupported: '{section}' sections are not in the Ballast model yet");
        }

        Reported(text, result, "server-template", "server-template");
        Reported(text, result, "server fixed", "server resolvers");
        Reported(text, result, "email-alert mailers", "email-alert mailers");
        Assert.Equal(new[] { "fixed" }, result.Backend("dynamic").Servers.Select(s => s.Name));
    }

    [Fact]
    public void Legacy_1x_config_is_imported_with_its_removed_keywords_reported()
    {
        var (text, result) = Load("legacy-1.x.cfg");
        result.NoErrors();
        Assert.Equal(new Bind { Address = "0.0.0.0", Port = 80 }, Assert.Single(result.Frontend("webfarm").Binds));
        var backend = result.Backend("webfarm");
        Assert.Equal((Balance.UrlParam, "HEAD", "/index.html"), (backend.Balance, backend.HealthCheck.HttpMethod, backend.HealthCheck.HttpPath));
        Assert.Equal((2000u, 2u, 5u), (backend.HealthCheck.InterMs, backend.HealthCheck.Rise, backend.HealthCheck.Fall));
        Reported(text, result, "listen webfarm", "listen", FindingSeverity.Warning);
        Reported(text, result, "contimeout", "contimeout");
        Reported(text, result, "reqadd", "reqadd");
        Reported(text, result, "appsession", "appsession");
        Reported(text, result, "server web03", "server inter");
        Assert.Equal("userid", backend.BalanceParam);
        Reported(text, result, "balance url_param", "balance url_param check_post");
    }

    [Fact]
    public void Debian_default_config_has_no_proxy_and_reports_every_line()
    {
        var (text, result) = Load("debian-12-default.cfg");
        result.NoErrors();
        Assert.Equal(new Config(), result.Config);
        for (var i = 1; i <= 7; i++)
        {
            Reported(text, result, "errorfile ", "errorfile", occurrence: i);
        }

        Reported(text, result, "crt-base", "crt-base");
        Reported(text, result, "ssl-default-bind-ciphers ", "ssl-default-bind-ciphers");
        Reported(text, result, "chroot", "chroot", FindingSeverity.Ignored);
    }

    private static string Reasons(FindingSeverity severity) => severity == FindingSeverity.Unsupported ? "unsupported:" : "ignored:";
}
