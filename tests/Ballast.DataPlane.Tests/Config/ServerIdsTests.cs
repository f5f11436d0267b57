using Ballast.DataPlane.Config;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;

namespace Ballast.DataPlane.Tests.Config;

public class ServerIdsTests
{
    [Fact]
    public void Assign_NoIds_NumbersServersFromOne()
    {
        Assert.Equal([1, 2, 3], ServerIds.Assign([Server("a", 1), Server("b", 2), Server("c", 3)]));
    }

    [Fact]
    public void Assign_MixedIds_FollowsHaproxysCounter()
    {
        var b = Server("b", 2);
        b.Id = 1;

        // a: lowest free id from 1 is 2; the counter then moves past every server, so c starts looking at 4.
        Assert.Equal([2, 1, 4], ServerIds.Assign([Server("a", 1), b, Server("c", 3)]));
    }

    [Fact]
    public void Assign_ExplicitIds_AreKept()
    {
        var a = Server("a", 1);
        a.Id = 10;
        var c = Server("c", 3);
        c.Id = 2;

        Assert.Equal([10, 3, 2], ServerIds.Assign([a, Server("b", 2), c]));
    }
}
