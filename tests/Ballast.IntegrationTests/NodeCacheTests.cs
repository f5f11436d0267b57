using System.Text.RegularExpressions;
using Ballast.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Ballast.IntegrationTests;

/// <summary>
/// A node whose served config (or on-disk cache) came from another control-plane database with the same version
/// number: the Hello carries <c>applied_config_hash</c> and the control plane re-sends its own snapshot.
/// </summary>
public sealed partial class NodeCacheTests(ITestOutputHelper output)
{
    private const string OtherDataDir = "controlplane-b";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public Task RestartedNode_CachedVersion1FromOtherControlPlane_ServesNewControlPlanesVersion1() => BallastCluster.RunAsync(output, async cluster =>
    {
        await PublishOnlyAsync(cluster, cluster.Backends[0], "control plane A: s1 only");
        cluster.KillNode();
        cluster.KillControlPlane();

        await cluster.StartControlPlaneAsync(FreePort.Next(), FreePort.Next(), OtherDataDir);
        var version = await PublishOnlyAsync(cluster, cluster.Backends[1], "control plane B: s2 only", waitForNode: false);
        Assert.Equal(1, version);
        cluster.StartNode();
        var restored = await cluster.Node!.WaitForLineAsync(RestoredLine(), Timeout);
        Assert.Equal("1", restored.Groups["version"].Value);

        await AssertServesOnlyAsync(cluster, version, "s2");
    });

    [Fact]
    public Task RunningNode_ControlPlaneReplacedByOtherDatabase_ServesNewControlPlanesVersion1() => BallastCluster.RunAsync(output, async cluster =>
    {
        await PublishOnlyAsync(cluster, cluster.Backends[0], "control plane A: s1 only");
        var (http, node) = (cluster.ControlPlane.HttpPort, cluster.ControlPlane.NodePort);
        cluster.KillControlPlane();

        await cluster.StartControlPlaneAsync(http, node, OtherDataDir);
        var version = await PublishOnlyAsync(cluster, cluster.Backends[1], "control plane B: s2 only", waitForNode: false);
        Assert.Equal(1, version);

        await AssertServesOnlyAsync(cluster, version, "s2");
    });

    /// <summary>Publishes backend <c>app</c> with only <paramref name="server"/>; returns the version.</summary>
    private static async Task<long> PublishOnlyAsync(BallastCluster cluster, TestBackend server, string message, bool waitForNode = true)
    {
        await cluster.Admin.PutBackendAsync(new BackendDto(
            BallastCluster.BackendName,
            [server.ToServer()],
            // Checks that tolerate a loaded machine (the backends run in this test process): this test is about
            // which configuration is served, and a check timing out twice would answer 503 instead.
            new HealthCheckDto(InterMs: 500, Rise: 1, Fall: 3, TimeoutMs: 2000)));
        await cluster.Admin.PutFrontendAsync(new FrontendDto(BallastCluster.FrontendName, [$"127.0.0.1:{cluster.ProxyPort}"], BallastCluster.BackendName));
        if (!waitForNode)
        {
            return await cluster.Admin.PublishAsync(message);
        }

        var version = await cluster.PublishAndWaitSyncedAsync(message);
        await cluster.WaitForProxyAsync();
        Assert.All(await cluster.SendRequestsAsync(5), b => Assert.Equal(server.Name, b));
        return version;
    }

    /// <summary>The node ACKs <paramref name="version"/> and then every request reaches <paramref name="server"/>.</summary>
    private static async Task AssertServesOnlyAsync(BallastCluster cluster, long version, string server)
    {
        await cluster.WaitForAppliedAsync(version, Timeout);
        await cluster.WaitForProxyAsync();
        var other = cluster.Backends.Single(b => b.Name != server);
        other.ResetCounts();
        var bodies = await cluster.SendRequestsAsync(20);
        Assert.True(bodies.All(b => b == server), $"expected only {server}, got {string.Join(',', bodies)}");
        Assert.Equal(0, other.Requests);
    }

    [GeneratedRegex(@"Restored cached snapshot version (?<version>\d+)")]
    private static partial Regex RestoredLine();
}
