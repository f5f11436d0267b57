using System.Diagnostics;
using Ballast.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Ballast.IntegrationTests;

public sealed class HealthCheckTests(ITestOutputHelper output)
{
    private const int InterMs = 500;
    private const int Fall = 2;

    // Detection takes up to inter x fall; the margin covers the check timeout and the node's stats report period.
    private static readonly TimeSpan DetectionBound = TimeSpan.FromMilliseconds(InterMs * Fall) + TimeSpan.FromSeconds(5);

    [Fact]
    public Task KilledBackend_IsTakenOutWithinInterTimesFall_AndGetsNoMoreRequests() => BallastCluster.RunAsync(output, async cluster =>
    {
        await cluster.PutDemoConfigAsync(interMs: InterMs, rise: 1, fall: Fall);
        await cluster.PublishAndWaitSyncedAsync("checks every 500 ms");
        await cluster.WaitForProxyAsync();
        await Wait.UntilAsync(
            async () => (await ServerStatusAsync(cluster, "s2"))?.StartsWith("UP", StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(20),
            "app/s2 to be reported UP");

        var killed = cluster.Backends[1];
        await killed.StopAsync();
        var clock = Stopwatch.StartNew();
        await Wait.UntilAsync(
            async () => (await ServerStatusAsync(cluster, "s2"))?.StartsWith("DOWN", StringComparison.Ordinal) == true,
            DetectionBound + TimeSpan.FromSeconds(10),
            "app/s2 to be reported DOWN",
            TimeSpan.FromMilliseconds(50));
        cluster.Log($"s2 reported DOWN {clock.ElapsedMilliseconds} ms after it stopped (inter {InterMs} ms x fall {Fall})");
        var rows = await cluster.Admin.GetStatsAsync(BallastCluster.NodeId);
        cluster.Log("stats: " + string.Join("; ", rows.Where(r => r.Pxname == BallastCluster.BackendName)));
        Assert.True(clock.Elapsed <= DetectionBound, $"DOWN after {clock.Elapsed.TotalMilliseconds:0} ms, bound {DetectionBound.TotalMilliseconds:0} ms");

        var bodies = await cluster.SendRequestsAsync(30);

        Assert.All(bodies, b => Assert.Equal("s1", b));
    });

    private static async Task<string?> ServerStatusAsync(BallastCluster cluster, string server)
    {
        var rows = await cluster.Admin.GetStatsAsync(BallastCluster.NodeId);
        return rows.FirstOrDefault(r => r.Pxname == BallastCluster.BackendName && r.Svname == server)?.Status;
    }
}
