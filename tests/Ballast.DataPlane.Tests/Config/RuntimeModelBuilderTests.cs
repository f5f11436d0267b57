using Ballast.DataPlane.Config;
using Ballast.DataPlane.Health;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Config;

public class RuntimeModelBuilderTests
{
    private readonly ManualTimeProvider _time = new();

    private RuntimeModel Build(V1.Config config, RuntimeModel? previous = null, ulong version = 1) =>
        RuntimeModelBuilder.Build(version, config, previous ?? RuntimeModel.Empty, _time);

    [Fact]
    public void Build_AppliesHaproxyDefaults()
    {
        var config = NewConfig([Frontend("web", "app", 8080)], [Backend("app", Server("a", 9001, check: true))]);

        var model = Build(config);

        var server = model.Backends[0].Servers[0];
        Assert.Equal(1, server.Weight);
        Assert.Equal("http://127.0.0.1:9001/", server.DestinationPrefix);
        Assert.Equal(AdminState.Ready, server.Admin);
        var check = server.Check!;
        Assert.Equal(HealthCheckKind.Tcp, check.Kind); // `check` without httpchk: layer-4 check
        Assert.Equal(TimeSpan.FromMilliseconds(2000), check.Inter);
        Assert.Equal(check.Inter, check.Timeout);
        Assert.Equal(2, check.Rise);
        Assert.Equal(3, check.Fall);
        Assert.Equal("OPTIONS", check.HttpMethod);
        Assert.Equal("/", check.HttpPath);
        Assert.Same(model.Backends[0], model.Frontends[0].DefaultBackend);
    }

    [Fact]
    public void Build_TimeoutsDefaultToDebiansHaproxyCfg()
    {
        var model = Build(NewConfig([Frontend("web", "app", 8080)], [Backend("app", Server("a", 9001))]));

        Assert.Equal(TimeSpan.FromSeconds(50), model.Frontends[0].ClientTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), model.Backends[0].ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(50), model.Backends[0].ServerTimeout);
    }

    [Fact]
    public void Build_CarriesModeTimeoutsIdsAndBalanceSettings()
    {
        var frontend = Frontend("web", "app", 8080);
        frontend.Mode = V1.Mode.Tcp;
        frontend.TimeoutClientMs = 1234;
        var b = Server("b", 9002);
        b.Id = 1;
        var backend = Backend("app", Server("a", 9001), b, new V1.Server { Name = "dns", Address = "db.internal", Port = 5432 });
        backend.Mode = V1.Mode.Tcp;
        backend.Balance = V1.Balance.Source;
        backend.HashType = V1.HashType.Consistent;
        backend.TimeoutConnectMs = 250;
        backend.TimeoutServerMs = 4321;

        var model = Build(NewConfig([frontend], [backend]));

        Assert.Equal((V1.Mode.Tcp, TimeSpan.FromMilliseconds(1234)), (model.Frontends[0].Mode, model.Frontends[0].ClientTimeout));
        var runtime = model.Backends[0];
        Assert.Equal((V1.Mode.Tcp, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(4321)), (runtime.Mode, runtime.ConnectTimeout, runtime.ServerTimeout));
        Assert.Equal([2, 1, 4], runtime.Servers.Select(s => s.Id)); // HAProxy's automatic ids
        Assert.Equal(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 9001), runtime.Servers[0].EndPoint);
        Assert.Equal(new System.Net.DnsEndPoint("db.internal", 5432), runtime.Servers[2].EndPoint);

        // hash-type consistent without a function: sdbm with avalanche, as HAProxy.
        Assert.Equal((true, V1.HashFunction.Sdbm, true), (runtime.Settings.Consistent, runtime.Settings.Function, runtime.Settings.Avalanche));
        Assert.IsType<Ballast.DataPlane.LoadBalancing.HashBalancer>(runtime.Balancer);
    }

    [Fact]
    public void Build_UnchangedObjects_KeepCountersAndHealth()
    {
        var config = NewConfig([Frontend("web", "app", 8080)], [Backend("app", Server("a", 9001, check: true))]);
        var first = Build(config);
        first.Frontends[0].Counters.CountRequest();
        first.Backends[0].State.Counters.CountRequest();
        var health = first.Backends[0].Servers[0].State.Health;
        health.Report(new CheckResult(CheckStatus.L4Connection, 0, TimeSpan.Zero), 1, 1);

        var changed = config.Clone();
        changed.Backends[0].Servers[0].Weight = 10;
        var second = Build(changed, first, version: 2);

        Assert.Same(first.Frontends[0].Counters, second.Frontends[0].Counters);
        Assert.Same(first.Backends[0].State, second.Backends[0].State);
        Assert.Same(health, second.Backends[0].Servers[0].State.Health);
        Assert.False(second.Backends[0].Servers[0].IsUp);
        Assert.Equal(10, second.Backends[0].Servers[0].Weight);
        Assert.Equal(2UL, second.Version);
    }

    [Fact]
    public void Build_ServerAddressChanged_StartsFresh()
    {
        var first = Build(NewConfig([], [Backend("app", Server("a", 9001))]));
        first.Backends[0].Servers[0].State.Counters.CountRequest();

        var second = Build(NewConfig([], [Backend("app", Server("a", 9002))]), first);

        Assert.NotSame(first.Backends[0].Servers[0].State, second.Backends[0].Servers[0].State);
        Assert.Equal(0, second.Backends[0].Servers[0].State.Counters.ReqTot);
    }

    [Fact]
    public void Build_AdminStateChange_UpdatesLastChange()
    {
        var first = Build(NewConfig([], [Backend("app", Server("a", 9001))]));
        var before = first.Backends[0].Servers[0].State.Health.LastChangeUnixMs;
        _time.Advance(TimeSpan.FromSeconds(10));

        var second = Build(NewConfig([], [Backend("app", Server("a", 9001, state: V1.ServerState.Drain))]), first);

        Assert.Equal(before + 10_000, second.Backends[0].Servers[0].State.Health.LastChangeUnixMs);
    }

    [Fact]
    public void Build_Ipv6Server_BracketsDestination()
    {
        var backend = Backend("app", new V1.Server { Name = "v6", Address = "::1", Port = 9000 });

        Assert.Equal("http://[::1]:9000/", Build(NewConfig([], [backend])).Backends[0].Servers[0].DestinationPrefix);
    }

    [Fact]
    public void Build_FrontendsIndexedByBind()
    {
        var model = Build(NewConfig([Frontend("a", "", 8080, 8081), Frontend("b", "", 8082)], []));

        Assert.Equal(3, model.FrontendsByBind.Count);
        Assert.True(BindEndpoint.TryParse("127.0.0.1", 8081, out var endpoint));
        Assert.Equal("a", model.FrontendsByBind[endpoint].Name);
    }
}
