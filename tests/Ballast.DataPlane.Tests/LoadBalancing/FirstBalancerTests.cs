using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using static Ballast.DataPlane.Tests.LoadBalancing.BalancerTestKit;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.LoadBalancing;

public class FirstBalancerTests
{
    [Fact]
    public void First_FillsTheFirstServerUpToMaxconn_ThenTheNext()
    {
        var backend = Build(V1.Balance.First, Server("a", 1, maxconn: 2), Server("b", 2, maxconn: 3), Server("c", 3, maxconn: 1));

        var held = Hold(backend, 6);

        Assert.Equal("a a b b b c", Names(held));
        Assert.Null(backend.Balancer.Pick());
        held[0].Release();
        Assert.Equal("a", backend.Balancer.Pick()!.Name); // a slot freed on the first server: it is used again
    }

    [Fact]
    public void First_WithoutMaxconn_UsesOnlyTheFirstServer()
    {
        var backend = Build(V1.Balance.First, Server("a", 1), Server("b", 2));

        Assert.Equal("a a a a", Names(Hold(backend, 4)));
    }

    [Fact]
    public void First_OrdersServersByIdNotDeclaration()
    {
        var c = Server("c", 3, maxconn: 1);
        c.Id = 1;
        var backend = Build(V1.Balance.First, Server("a", 1, maxconn: 1), Server("b", 2, maxconn: 1), c);

        // c has id 1; a and b get the next free ids, 2 and 3 (HAProxy's automatic numbering).
        Assert.Equal("c a b", Names(Hold(backend, 3)));
    }

    [Fact]
    public void First_IgnoresWeightsButSkipsUnusableServers()
    {
        var backend = Build(
            V1.Balance.First,
            Server("zero", 1, weight: 0, maxconn: 5),
            Server("maint", 2, state: V1.ServerState.Maint, maxconn: 5),
            Server("light", 3, weight: 1, maxconn: 2),
            Server("heavy", 4, weight: 200, maxconn: 2));

        Assert.Equal("light light heavy heavy", Names(Hold(backend, 4)));
    }
}
