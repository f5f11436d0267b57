using System.Text.Json;
using System.Text.RegularExpressions;
using Ballast.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Ballast.IntegrationTests;

/// <summary>
/// Runtime server overrides (<c>/api/v1/runtime</c>, HAProxy <c>set server state|weight</c>): applied by the node
/// without a new config version, kept across a node restart, cleared by DELETE.
/// </summary>
public sealed partial class RuntimeServerTests(ITestOutputHelper output)
{
    private const string Server = "s2";
    private static readonly string ServerPath = $"runtime/backends/{BallastCluster.BackendName}/servers/{Server}";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public Task RuntimeDrain_StopsTrafficWithoutNewVersion_SurvivesNodeRestart_AndDeleteRestoresTraffic() => BallastCluster.RunAsync(output, async cluster =>
    {
        var version = await StartServingAsync(cluster);
        var versions = await cluster.Admin.GetVersionsAsync();
        var drained = cluster.Backends[1];

        var set = await cluster.Admin.PutForJsonAsync(ServerPath, new { state = "drain" });
        var revision = set.GetProperty("revision").GetInt64();
        await WaitRuntimeAppliedAsync(cluster, revision);
        var overrides = (await cluster.Admin.GetJsonAsync("runtime/servers")).GetProperty("overrides");
        Assert.Equal("drain", Assert.Single(overrides.EnumerateArray()).GetProperty("state").GetString(), ignoreCase: true);

        await AssertNoTrafficToAsync(cluster, drained, "after the drain");
        Assert.Equal(versions, await cluster.Admin.GetVersionsAsync());
        Assert.Equal(version, (await cluster.Admin.GetNodeAsync(BallastCluster.NodeId))!.AppliedVersion);

        cluster.KillNode();
        cluster.StartNode();
        await cluster.Node!.WaitForLineAsync(ConnectedLine(), Timeout);
        await WaitRuntimeAppliedAsync(cluster, revision);
        await cluster.WaitForAppliedAsync(version);
        await cluster.WaitForProxyAsync();
        await AssertNoTrafficToAsync(cluster, drained, "after the node restart");

        var cleared = await cluster.Admin.DeleteForJsonAsync(ServerPath);
        var clearedRevision = cleared.GetProperty("revision").GetInt64();
        Assert.True(clearedRevision > revision, $"DELETE answered revision {clearedRevision}, not above {revision}");
        await WaitRuntimeAppliedAsync(cluster, clearedRevision);
        drained.ResetCounts();
        var bodies = await cluster.SendRequestsAsync(20);
        var back = bodies.Count(b => b == Server);
        cluster.Log($"after DELETE: {back} of 20 requests reached {Server}");
        Assert.InRange(back, 8, 12);
        Assert.Equal(back, drained.Requests);
        Assert.Equal(versions, await cluster.Admin.GetVersionsAsync());
    });

    [Fact]
    public Task RuntimeWeight_ZeroStopsTraffic_AndHigherWeightTakesMoreWithoutNewVersion() => BallastCluster.RunAsync(output, async cluster =>
    {
        await StartServingAsync(cluster);
        var versions = await cluster.Admin.GetVersionsAsync();
        var server = cluster.Backends[1];

        var zero = await cluster.Admin.PutForJsonAsync(ServerPath, new { weight = 0 });
        await WaitRuntimeAppliedAsync(cluster, zero.GetProperty("revision").GetInt64());
        await AssertNoTrafficToAsync(cluster, server, "with weight 0");

        var three = await cluster.Admin.PutForJsonAsync(ServerPath, new { weight = 3 });
        await WaitRuntimeAppliedAsync(cluster, three.GetProperty("revision").GetInt64());
        var bodies = await cluster.SendRequestsAsync(40);
        var (s1, s2) = (bodies.Count(b => b == "s1"), bodies.Count(b => b == Server));
        cluster.Log($"weights s1=1 s2=3 (runtime): s1={s1} s2={s2}");
        Assert.Equal(40, s1 + s2);
        Assert.InRange(s2, 26, 34);
        Assert.Equal(versions, await cluster.Admin.GetVersionsAsync());
    });

    /// <summary>Demo config (s1, s2 weight 1, roundrobin), published and answering; returns the version.</summary>
    private static async Task<long> StartServingAsync(BallastCluster cluster)
    {
        await cluster.PutDemoConfigAsync();
        var version = await cluster.PublishAndWaitSyncedAsync("two servers");
        await cluster.WaitForProxyAsync();
        Assert.Contains(Server, await cluster.SendRequestsAsync(4));
        return version;
    }

    private static async Task AssertNoTrafficToAsync(BallastCluster cluster, TestBackend server, string when)
    {
        server.ResetCounts();
        var bodies = await cluster.SendRequestsAsync(30);
        Assert.True(bodies.All(b => b == "s1"), $"{when}: answers {string.Join(',', bodies.Distinct())}");
        Assert.Equal(0, server.Requests);
    }

    /// <summary>Waits until <c>GET /runtime/servers</c> shows the node connected and having acknowledged <paramref name="revision"/>.</summary>
    private static Task WaitRuntimeAppliedAsync(BallastCluster cluster, long revision) => Wait.UntilAsync(
        async () =>
        {
            var body = await cluster.Admin.GetJsonAsync("runtime/servers");
            return body.GetProperty("revision").GetInt64() == revision &&
                body.GetProperty("nodes").EnumerateArray().Any(n =>
                    n.GetProperty("nodeId").GetString() == BallastCluster.NodeId &&
                    n.GetProperty("connected").GetBoolean() &&
                    n.GetProperty("applied").GetBoolean() &&
                    n.GetProperty("appliedRevision").GetInt64() == revision);
        },
        Timeout,
        $"{BallastCluster.NodeId} to apply runtime revision {revision}",
        TimeSpan.FromMilliseconds(20));

    [GeneratedRegex("Connected to control plane")]
    private static partial Regex ConnectedLine();
}
