using Ballast.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Ballast.IntegrationTests;

public sealed class ResilienceTests(ITestOutputHelper output)
{
    [Fact]
    public Task ControlPlaneStopped_NodeKeepsServing_AndResyncsOnRestart() => BallastCluster.RunAsync(output, async cluster =>
    {
        await cluster.PutDemoConfigAsync();
        await cluster.PublishAndWaitSyncedAsync("before the outage");
        await cluster.WaitForProxyAsync();

        cluster.KillControlPlane();
        await cluster.SendRequestsAsync(10);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var during = await cluster.SendRequestsAsync(20);
        Assert.Contains("s1", during);
        Assert.Contains("s2", during);

        await cluster.RestartControlPlaneAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await cluster.Admin.PatchServerAsync(BallastCluster.BackendName, "s1", new { weight = 3 });
        var version = await cluster.Admin.PublishAsync("after the outage");
        var elapsed = await cluster.WaitForAppliedAsync(version, TimeSpan.FromSeconds(60));
        cluster.Log($"node reconnected and ACKed v{version} {elapsed.TotalMilliseconds:0} ms after the publish, " +
            $"{clock.ElapsedMilliseconds} ms after the control plane was back");

        var after = await cluster.SendRequestsAsync(40);
        Assert.True(after.Count(b => b == "s1") > after.Count(b => b == "s2"), "weight 3 vs 1 should favour s1");
    });

    [Fact]
    public Task NodeRestart_WithControlPlaneDown_ServesFromCachedSnapshot() => BallastCluster.RunAsync(output, async cluster =>
    {
        await cluster.PutDemoConfigAsync();
        await cluster.PublishAndWaitSyncedAsync("to be cached");
        await cluster.WaitForProxyAsync();

        cluster.KillControlPlane();
        cluster.KillNode();
        cluster.StartNode();
        await cluster.WaitForProxyAsync();

        var bodies = await cluster.SendRequestsAsync(20);
        Assert.Contains("s1", bodies);
        Assert.Contains("s2", bodies);
    });
}
