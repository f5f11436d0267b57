using Ballast.HaproxyConfig.Rules;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Tests.Support;

/// <summary>A model using ACLs, content switching, HTTP rules, stick tables, cookies, timeouts, retries and the new expect kinds.</summary>
internal static class Layer7Configs
{
    public static Config All()
    {
        var config = new Config();
        var edge = new Frontend { Name = "edge", Mode = Mode.Http, DefaultBackend = "app", TimeoutClientMs = 20000, StickTable = Table("type ip size 100k expire 30s store http_req_rate(10s)") };
        edge.Binds.Add(new Bind { Address = "*", Port = 80 });
        edge.Acls.Add(Acl("is_api path_beg /api"));
        edge.Acls.Add(Acl("is_admin path_beg -i /admin"));
        edge.HttpRequest.Add(Rule("track-sc0 src"));
        edge.HttpRequest.Add(Rule("deny deny_status 429 if { sc_http_req_rate(0) gt 100 }"));
        edge.HttpRequest.Add(Rule("set-header X-Forwarded-Proto http"));
        edge.HttpResponse.Add(Rule("del-header Server"));
        edge.UseBackends.Add(new UseBackendRule { Backend = "api", Condition = Condition("is_api !is_admin") });
        edge.UseBackends.Add(new UseBackendRule { Backend = "app", Condition = Condition("is_admin or { hdr(host) -i admin.example.com }") });
        config.Frontends.Add(edge);

        var api = new Backend
        {
            Name = "api", Mode = Mode.Http, TimeoutConnectMs = 3000, TimeoutServerMs = 20000, TimeoutQueueMs = 2000, Retries = 2, Redispatch = 2,
            Allbackups = true, Forwardfor = true, ForwardforExcept = "10.0.0.0/8", ForwardforHeader = "X-Real-IP",
            Cookie = Cookie("SRV insert indirect nocache httponly"),
            HealthCheck = new HealthCheck { Type = HealthCheckType.HealthCheckHttp, HttpMethod = "GET", HttpPath = "/ready", ExpectKind = HttpCheckExpect.String, ExpectValue = "OK" },
        };
        api.RetryOn.Add("conn-failure");
        api.RetryOn.Add("503");
        api.Acls.Add(Acl("is_get method GET"));
        api.HttpRequest.Add(Rule("set-header X-Api 1 if is_get"));
        api.HttpResponse.Add(Rule("set-header X-Backend api"));
        api.Servers.Add(new Server { Name = "a1", Address = "10.0.1.1", Port = 8080, Check = true, Cookie = "a1" });
        api.Servers.Add(new Server { Name = "a2", Address = "10.0.1.2", Port = 8080, Check = true, Cookie = "a2", Backup = true });
        config.Backends.Add(api);

        var app = new Backend
        {
            Name = "app", Mode = Mode.Http, Redispatch = 0, Retries = 0, StickTable = Table("type ip size 1m expire 30m"), StickOn = "src",
            HealthCheck = new HealthCheck { Type = HealthCheckType.HealthCheckHttp, ExpectKind = HttpCheckExpect.Status, ExpectValue = "200,301-302" },
        };
        app.Servers.Add(new Server { Name = "s1", Address = "10.0.2.1", Port = 80, Check = true });
        config.Backends.Add(app);
        return config;
    }

    public static Acl Acl(string text) => HaproxyRules.TryParseAcl(text, out var acl, out var error) ? acl : throw new ArgumentException(error);

    public static HttpRule Rule(string text) => HaproxyRules.TryParseHttpRule(text, out var rule, out var error) ? rule : throw new ArgumentException(error);

    public static Condition Condition(string text) => HaproxyRules.TryParseCondition(text, false, out var condition, out var error) ? condition : throw new ArgumentException(error);

    public static StickTable Table(string text) => HaproxyRules.TryParseStickTable(text, out var table, out var error) ? table : throw new ArgumentException(error);

    public static CookiePersistence Cookie(string text) => HaproxyRules.TryParseCookie(text, out var cookie, out var error) ? cookie : throw new ArgumentException(error);
}
