using Ballast.DataPlane.Config;
using Ballast.DataPlane.LoadBalancing;
using Ballast.DataPlane.Runtime;
using Ballast.DataPlane.Stats;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Runtime;

/// <summary>Runtime overrides applied to a served model, as HAProxy <c>set server state|weight</c>.</summary>
public sealed class RuntimeOverridesTests
{
    private readonly ManualTimeProvider _time = new();

    private RuntimeModel Model(V1.Backend backend, RuntimeModel? previous = null, ulong version = 1) =>
        RuntimeModelBuilder.Build(version, NewConfig([], [backend]), previous ?? RuntimeModel.Empty, _time);

    private static V1.RuntimeUpdate Update(ulong revision, params V1.ServerOverride[] overrides)
    {
        var update = new V1.RuntimeUpdate { Revision = revision, Nonce = $"n{revision}" };
        update.Overrides.Add(overrides);
        return update;
    }

    private static V1.ServerOverride Override(string server, V1.ServerState? state = null, uint? weight = null)
    {
        var item = new V1.ServerOverride { Backend = "app", Server = server };
        if (state is { } s)
        {
            item.State = s;
        }

        if (weight is { } w)
        {
            item.Weight = w;
        }

        return item;
    }

    private static Dictionary<string, int> Picks(BackendRuntime backend, int count)
    {
        var picks = new Dictionary<string, int>();
        for (var i = 0; i < count; i++)
        {
            var server = backend.Balancer.Pick(new BalanceInput(null, null, null), default);
            Assert.NotNull(server);
            server.Release();
            picks[server.Name] = picks.GetValueOrDefault(server.Name) + 1;
        }

        return picks;
    }

    [Fact]
    public void Weight_Roundrobin_PicksItUpAtOnce_WithoutRebuildingTheModel()
    {
        var model = Model(Backend("app", Server("a", 1001), Server("b", 1002)));
        var backend = model.Backends[0];
        Assert.Equal(5, Picks(backend, 10)["a"]);

        var overrides = new RuntimeOverrides();
        Assert.True(overrides.TryReplace(Update(1, Override("a", weight: 3)), out _));
        overrides.ApplyTo(model);

        var picks = Picks(backend, 40);
        Assert.Equal((30, 10), (picks["a"], picks["b"]));
        Assert.Equal(3, backend.Servers[0].Weight);
        Assert.Equal(1, backend.Servers[0].ConfiguredWeight);
    }

    [Fact]
    public void Drain_GetsNoBalancedTraffic_AndShowsDrainInStats()
    {
        var model = Model(Backend("app", Server("a", 1001), Server("b", 1002)));
        var overrides = new RuntimeOverrides();
        Assert.True(overrides.TryReplace(Update(1, Override("a", V1.ServerState.Drain)), out _));
        overrides.ApplyTo(model);

        Assert.Equal(20, Picks(model.Backends[0], 20)["b"]);
        var row = StatsReportBuilder.Build(model, _time).Rows.Single(r => r.Svname == "a");
        Assert.Equal("DRAIN", row.Status);
    }

    [Fact]
    public void StaticRr_IgnoresANonZeroRuntimeWeight_ButZeroTakesTheServerOut()
    {
        var backend = Backend("app", Server("a", 1001, weight: 2), Server("b", 1002, weight: 2));
        backend.Balance = V1.Balance.StaticRr;
        var model = Model(backend);
        var overrides = new RuntimeOverrides();
        Assert.True(overrides.TryReplace(Update(1, Override("a", weight: 10)), out _));
        overrides.ApplyTo(model);
        Assert.Equal(2, model.Backends[0].Servers[0].Weight);

        Assert.True(overrides.TryReplace(Update(2, Override("a", weight: 0)), out _));
        overrides.ApplyTo(model);
        Assert.Equal(0, model.Backends[0].Servers[0].Weight);
        Assert.Equal(10, Picks(model.Backends[0], 10)["b"]);
    }

    [Fact]
    public void Overrides_SurviveANewModel_AndClearingRestoresTheConfiguredValues()
    {
        var backend = Backend("app", Server("a", 1001), Server("b", 1002));
        var first = Model(backend);
        var overrides = new RuntimeOverrides();
        overrides.TryReplace(Update(1, Override("a", V1.ServerState.Maint)), out _);
        Assert.True(overrides.ApplyTo(first)); // entered MAINT: checks must be reconciled

        var second = Model(backend.Clone(), first, version: 2);
        overrides.ApplyTo(second);
        Assert.Equal(AdminState.Maint, second.Backends[0].Servers[0].Admin);
        Assert.Equal(AdminState.Ready, second.Backends[0].Servers[0].ConfiguredAdmin);

        overrides.TryReplace(Update(2), out _);
        Assert.True(overrides.ApplyTo(second));
        Assert.Equal(AdminState.Ready, second.Backends[0].Servers[0].Admin);
    }

    [Theory]
    [InlineData(257u, "weight must be 0-256")]
    public void InvalidUpdate_IsRejected_AndTheCurrentSetKept(uint weight, string message)
    {
        var overrides = new RuntimeOverrides();
        Assert.True(overrides.TryReplace(Update(1, Override("a", weight: 2)), out _));
        Assert.False(overrides.TryReplace(Update(2, Override("a", weight: weight)), out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Equal(1ul, overrides.Revision);
        Assert.Equal(2, overrides.Find("app", "a")!.Weight);
    }
}
