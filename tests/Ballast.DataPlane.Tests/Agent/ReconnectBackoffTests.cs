using Ballast.DataPlane.Agent;

namespace Ballast.DataPlane.Tests.Agent;

public class ReconnectBackoffTests
{
    [Fact]
    public void Next_DoublesWithJitterUpToCap()
    {
        var backoff = new ReconnectBackoff(ReconnectBackoff.DefaultInitial, ReconnectBackoff.DefaultMax, new Random(1));
        var ceilings = new[] { 250, 500, 1000, 2000, 4000, 5000, 5000, 5000 };

        foreach (var ceiling in ceilings)
        {
            var delay = backoff.Next().TotalMilliseconds;
            Assert.InRange(delay, ceiling / 2.0, ceiling);
        }
    }

    [Fact]
    public void Reset_StartsOver()
    {
        var backoff = new ReconnectBackoff(ReconnectBackoff.DefaultInitial, ReconnectBackoff.DefaultMax, new Random(2));
        for (var i = 0; i < 10; i++)
        {
            backoff.Next();
        }

        backoff.Reset();

        Assert.InRange(backoff.Next().TotalMilliseconds, 125, 250);
    }
}
