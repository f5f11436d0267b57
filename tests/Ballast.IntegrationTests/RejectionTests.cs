using System.Net;
using System.Net.Sockets;
using Ballast.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Ballast.IntegrationTests;

public sealed class RejectionTests(ITestOutputHelper output)
{
    [Fact]
    public Task UnapplicableSnapshot_IsNackedAndOldConfigKeepsServing() => BallastCluster.RunAsync(output, async cluster =>
    {
        await cluster.PutDemoConfigAsync();
        var good = await cluster.PublishAndWaitSyncedAsync("good");
        await cluster.WaitForProxyAsync();

        // Valid for the control plane, but the node cannot bind: the port is taken by this test.
        var busyPort = FreePort.Next();
        using var squatter = new TcpListener(IPAddress.Loopback, busyPort);
        squatter.Start();
        await cluster.Admin.PutFrontendAsync(new FrontendDto("blocked", [$"127.0.0.1:{busyPort}"], BallastCluster.BackendName));
        var bad = await cluster.Admin.PublishAsync("binds a busy port");

        var node = await Wait.ForAsync(
            async () => await cluster.Admin.GetNodeAsync(BallastCluster.NodeId) is { Status: "REJECTED" } n ? n : null,
            TimeSpan.FromSeconds(30),
            $"{BallastCluster.NodeId} to NACK v{bad}");
        cluster.Log($"node after NACK: applied v{node.AppliedVersion}, lastError: {node.LastError}");

        Assert.Equal(good, node.AppliedVersion);
        Assert.NotNull(node.LastError);
        Assert.Contains(busyPort.ToString(System.Globalization.CultureInfo.InvariantCulture), node.LastError);
        var bodies = await cluster.SendRequestsAsync(10);
        Assert.Contains("s1", bodies);
        Assert.Contains("s2", bodies);
    });
}
