using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Tests.Support;

/// <summary>Hand-built model configurations covering every field and enum value.</summary>
internal static class Configs
{
    public static Config Web()
    {
        var config = new Config();
        var frontend = new Frontend { Name = "web", Mode = Mode.Http, DefaultBackend = "app", Maxconn = 5000 };
        frontend.Binds.Add(new Bind { Address = "*", Port = 80 });
        frontend.Binds.Add(new Bind { Address = "127.0.0.1", Port = 8080 });
        frontend.Binds.Add(new Bind { Address = "::1", Port = 8443 });
        config.Frontends.Add(frontend);

        var app = new Backend
        {
            Name = "app",
            Mode = Mode.Http,
            Balance = Balance.Leastconn,
            HealthCheck = new HealthCheck
            {
                Type = HealthCheckType.HealthCheckHttp,
                HttpMethod = "GET",
                HttpPath = "/health?deep=1",
                ExpectStatus = 204,
                InterMs = 3000,
                Rise = 3,
                Fall = 2,
                TimeoutMs = 1500,
            },
        };
        app.Servers.Add(new Server { Name = "s1", Address = "10.0.0.1", Port = 80, Weight = 5, Maxconn = 100, Check = true });
        app.Servers.Add(new Server { Name = "s2", Address = "10.0.0.2", Port = 80, Weight = 0, Check = true });
        app.Servers.Add(new Server { Name = "s3", Address = "10.0.0.3", Port = 8080, State = ServerState.Maint, Check = true });
        app.Servers.Add(new Server { Name = "s4", Address = "fd00::4", Port = 80, Check = false });
        config.Backends.Add(app);
        return config;
    }

    public static Config TcpAndBalances()
    {
        var config = new Config();
        var db = new Frontend { Name = "db-in", Mode = Mode.Tcp, DefaultBackend = "db" };
        db.Binds.Add(new Bind { Address = "0.0.0.0", Port = 5432 });
        config.Frontends.Add(db);
        config.Backends.Add(Backend("db", Mode.Tcp, Balance.First, new HealthCheck { Type = HealthCheckType.HealthCheckTcp, InterMs = 10000 }, check: true));

        var balances = new[] { Balance.Roundrobin, Balance.StaticRr, Balance.Source, Balance.Uri, Balance.UrlParam, Balance.Hdr, Balance.Random };
        foreach (var balance in balances)
        {
            var backend = Backend($"b-{balance.ToString().ToLowerInvariant()}", Mode.Http, balance, new HealthCheck(), check: false);
            backend.BalanceParam = balance switch { Balance.UrlParam => "id", Balance.Hdr => "host", _ => string.Empty };
            config.Backends.Add(backend);
        }

        config.Backends.Add(Backend("http-defaults", Mode.Http, Balance.Roundrobin, new HealthCheck { Type = HealthCheckType.HealthCheckHttp }, check: true));
        config.Backends.Add(Backend("method-only", Mode.Http, Balance.Roundrobin, new HealthCheck { Type = HealthCheckType.HealthCheckHttp, HttpMethod = "HEAD" }, check: true));
        config.Backends.Add(Backend("tcp-unchecked", Mode.Tcp, Balance.Roundrobin, new HealthCheck { Type = HealthCheckType.HealthCheckTcp, Rise = 5 }, check: false));
        config.Backends.Add(Backend("no-check-timing", Mode.Http, Balance.Roundrobin, new HealthCheck { InterMs = 500, TimeoutMs = 60000 }, check: false));
        config.Backends.Add(new Backend { Name = "empty", Mode = Mode.Http, HealthCheck = new HealthCheck() });
        return config;
    }

    /// <summary>Backends using each algorithm's arguments and each hash-type method, function and modifier.</summary>
    public static Config BalanceArguments()
    {
        var config = new Config();
        Add("uri-all", Balance.Uri, b => { b.UriLen = 10; b.UriDepth = 2; b.UriPathOnly = true; b.UriWhole = true; });
        Add("uri-len", Balance.Uri, b => b.UriLen = 32);
        Add("uri-depth-consistent", Balance.Uri, b => { b.UriDepth = 3; b.HashType = HashType.Consistent; });
        Add("url-param", Balance.UrlParam, b => { b.BalanceParam = "userid"; b.HashFunction = HashFunction.Djb2; });
        Add("hdr-domain", Balance.Hdr, b => { b.BalanceParam = "Host"; b.HdrUseDomainOnly = true; b.HashType = HashType.Consistent; b.HashFunction = HashFunction.Wt6; b.HashAvalanche = true; });
        Add("hdr-plain", Balance.Hdr, b => { b.BalanceParam = "X-Tenant"; b.HashFunction = HashFunction.Crc32; b.HashAvalanche = true; });
        Add("random-3", Balance.Random, b => b.RandomDraws = 3);
        Add("random-1", Balance.Random, b => b.RandomDraws = 1);
        Add("source-sdbm", Balance.Source, b => { b.HashType = HashType.Consistent; b.HashFunction = HashFunction.Sdbm; });
        return config;

        void Add(string name, Balance balance, Action<Backend> set)
        {
            var backend = Backend(name, Mode.Http, balance, new HealthCheck(), check: false);
            set(backend);
            config.Backends.Add(backend);
        }
    }

    private static Backend Backend(string name, Mode mode, Balance balance, HealthCheck health, bool check)
    {
        var backend = new Backend { Name = name, Mode = mode, Balance = balance, HealthCheck = health };
        backend.Servers.Add(new Server { Name = "a", Address = "192.168.0.10", Port = 9000, Check = check });
        backend.Servers.Add(new Server { Name = "b", Address = "192.168.0.11", Port = 9000, Maxconn = 20, Check = check });
        return backend;
    }
}
