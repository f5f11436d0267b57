using System.Diagnostics;
using Ballast.ControlPlane.Tests.TestSupport;
using Ballast.Proto.Grpc;

namespace Ballast.ControlPlane.Tests.Nodes;

public sealed class NodeShutdownTests
{
    [Fact]
    public async Task HostShutdown_EndsNodeStreamsWithUnavailable_Promptly()
    {
        var host = await ControlPlaneHost.StartAsync();
        NodeClient? node = null;
        try
        {
            await host.SeedAndPublishAsync();
            node = await NodeClient.ConnectAsync(host.NodeUri, "n-shutdown");
            await node.ReadSnapshotAsync();

            var watch = Stopwatch.StartNew();
            var closed = node.ReadUntilErrorAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await host.App.StopAsync(timeout.Token);
            var error = await closed;

            Assert.Equal(StatusCode.Unavailable, error.StatusCode);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"shutdown took {watch.Elapsed}");
        }
        finally
        {
            node?.Dispose();
            await host.DisposeAsync();
        }
    }
}
