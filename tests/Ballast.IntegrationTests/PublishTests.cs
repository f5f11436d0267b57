using Ballast.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Ballast.IntegrationTests;

public sealed class PublishTests(ITestOutputHelper output)
{
    [Fact]
    public Task Publish_SpreadsTrafficOverBothServers() => BallastCluster.RunAsync(output, async cluster =>
    {
        await cluster.PutDemoConfigAsync();
        await cluster.PublishAndWaitSyncedAsync("two servers");
        await cluster.WaitForProxyAsync();
        foreach (var backend in cluster.Backends)
        {
            backend.ResetCounts();
        }

        var bodies = await cluster.SendRequestsAsync(100);

        var s1 = bodies.Count(b => b == "s1");
        var s2 = bodies.Count(b => b == "s2");
        cluster.Log($"100 requests: s1={s1} s2={s2}");
        Assert.Equal(100, s1 + s2);
        Assert.InRange(s1, 35, 65);
        Assert.Equal(s1, cluster.Backends[0].Requests);
        Assert.Equal(s2, cluster.Backends[1].Requests);
    });

    [Fact]
    public Task DrainedServer_GetsNoNewRequests() => BallastCluster.RunAsync(output, async cluster =>
    {
        await cluster.PutDemoConfigAsync();
        await cluster.PublishAndWaitSyncedAsync("two servers");
        await cluster.WaitForProxyAsync();
        var before = await cluster.SendRequestsAsync(10);
        Assert.Contains("s2", before);

        await cluster.Admin.PatchServerAsync(BallastCluster.BackendName, "s2", new { state = "drain" });
        await cluster.PublishAndWaitSyncedAsync("drain s2");
        var drained = cluster.Backends[1];
        drained.ResetCounts();

        var bodies = await cluster.SendRequestsAsync(40);

        Assert.All(bodies, b => Assert.Equal("s1", b));
        Assert.Equal(0, drained.Requests);
    });

    [Fact]
    public Task PublishToAck_TimeIsMeasured() => BallastCluster.RunAsync(output, async cluster =>
    {
        await cluster.PutDemoConfigAsync();
        await cluster.PublishAndWaitSyncedAsync("initial");
        var samples = new List<double>();
        for (var weight = 2; weight <= 6; weight++)
        {
            await cluster.Admin.PatchServerAsync(BallastCluster.BackendName, "s1", new { weight });
            var version = await cluster.Admin.PublishAsync($"weight {weight}");
            var elapsed = await cluster.WaitForAppliedAsync(version);
            samples.Add(elapsed.TotalMilliseconds);
        }

        samples.Sort();
        cluster.Log($"publish -> ACK (ms, polled every 20 ms): {string.Join(", ", samples.Select(s => s.ToString("0")))}; " +
            $"median {samples[samples.Count / 2]:0} ms");
    });
}
