using Ballast.ControlPlane.Declarative;
using Ballast.ControlPlane.Model;
using Ballast.ControlPlane.Store;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Tests.Declarative;

public sealed class ConfigDiffTests
{
    private static readonly ConfigSpec Before = new()
    {
        Frontends = [new FrontendSpec { Name = "web", Binds = ["*:80"], DefaultBackend = "app" }],
        Backends =
        [
            new BackendSpec
            {
                Name = "app",
                HealthCheck = new HealthCheckSpec { Type = HealthCheckType.HealthCheckHttp, Rise = 2 },
                Servers = [new ServerSpec { Name = "s1", Address = "10.0.0.1", Port = 80 }, new ServerSpec { Name = "s2", Address = "10.0.0.2", Port = 80 }],
            },
        ],
    };

    private static string Line(ConfigChange c) => $"{c.Op} {c.Object} {c.Field} {c.From} {c.To}".TrimEnd();

    [Fact]
    public void SameConfig_HasNoChanges()
    {
        Assert.Empty(ConfigDiff.Compare(Before, Before with { }));
    }

    [Fact]
    public void ChangedFields_AreListedPerField_NestedOnesWithTheirPath()
    {
        var app = Before.Backends[0];
        var after = Before with
        {
            Backends =
            [
                app with
                {
                    Balance = Balance.StaticRr,
                    HealthCheck = app.HealthCheck with { Rise = 5 },
                    Servers = [app.Servers![1], app.Servers[0] with { Weight = 9, State = ServerState.Drain }],
                },
            ],
        };

        Assert.Equal(
        [
            "change backend 'app' balance roundrobin static-rr",
            "change backend 'app' healthCheck.rise 2 5",
            "change backend 'app' server 's1' weight 1 9",
            "change backend 'app' server 's1' state ready drain",
        ], ConfigDiff.Compare(Before, after).Select(Line));
    }

    [Fact]
    public void AddedAndRemovedObjects_AreOneChangeEach_InNameOrder()
    {
        var after = new ConfigSpec
        {
            Frontends = [Before.Frontends[0], new FrontendSpec { Name = "admin", Binds = ["127.0.0.1:81"], DefaultBackend = "app" }],
            Backends = [Before.Backends[0] with { Servers = [Before.Backends[0].Servers![0]] }, new BackendSpec { Name = "api" }],
        };

        Assert.Equal(
        [
            "add frontend 'admin'",
            "add backend 'api'",
            "remove backend 'app' server 's2'",
        ], ConfigDiff.Compare(Before, after).Select(Line));
        Assert.Equal(["remove frontend 'web'", "remove backend 'app'"], ConfigDiff.Compare(Before, new ConfigSpec()).Select(Line));
    }

    [Fact]
    public void ArrayFields_AreComparedAsWholeJsonValues()
    {
        var after = Before with { Frontends = [Before.Frontends[0] with { Binds = ["*:80", "*:443"] }] };

        Assert.Equal(["change frontend 'web' binds [\"*:80\"] [\"*:80\",\"*:443\"]"], ConfigDiff.Compare(Before, after).Select(Line));
    }

    [Fact]
    public void Merge_WithSameNames_KeepsOtherObjects_AndReplacesNamedOnes()
    {
        var incoming = new ConfigSpec { Backends = [new BackendSpec { Name = "app", Servers = [] }, new BackendSpec { Name = "api", Servers = [] }] };

        var merged = ConfigMerge.Apply(Before, incoming, ReplaceScope.SameNames);
        var replaced = ConfigMerge.Apply(Before, incoming, ReplaceScope.Everything);

        Assert.Equal(["web"], merged.Frontends.Select(f => f.Name));
        Assert.Equal(["api", "app"], merged.Backends.Select(b => b.Name));
        Assert.Empty(merged.Backends[1].Servers!);
        Assert.Empty(replaced.Frontends);
        Assert.Equal(["api", "app"], replaced.Backends.Select(b => b.Name));
    }
}
