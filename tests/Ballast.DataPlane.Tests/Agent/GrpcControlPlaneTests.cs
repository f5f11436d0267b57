using System.Net;
using System.Threading.Channels;
using Ballast.DataPlane.Agent;
using Ballast.DataPlane.Tests.Infrastructure;
using Ballast.Proto;
using Ballast.Proto.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Agent;

/// <summary>The agent against a control plane speaking real gRPC over h2c (our transport's server side).</summary>
public sealed class GrpcControlPlaneTests
{
    [Fact]
    public async Task Agent_ControlPlaneStartsLate_ReconnectsThenAppliesAndAcks()
    {
        await using var backend = await TestBackend.StartAsync("a");
        var cpPort = Ports.GetFreePort();
        var frontendPort = Ports.GetFreePort();
        await using var node = TestNode.Create();
        var options = new NodeOptions(new Uri($"http://127.0.0.1:{cpPort}"), "node-1", new Dictionary<string, string> { ["zone"] = "a" }, node.DataDir);
        var agent = node.CreateAgent(new GrpcControlPlaneConnector(options), options: options);
        using var stop = new CancellationTokenSource();
        await agent.StartAsync(stop.Token);
        try
        {
            // The control plane is down: the agent retries with backoff while the node keeps running.
            await Task.Delay(600);
            var received = Channel.CreateUnbounded<V1.NodeMessage>();
            await using var controlPlane = await StartControlPlaneAsync(cpPort, async (requests, responses, context) =>
            {
                Assert.True(await requests.MoveNext(context.CancellationToken));
                received.Writer.TryWrite(requests.Current);
                var config = NewConfig([Frontend("web", "app", frontendPort)], [Backend("app", Server("a", backend.Port))]);
                await responses.WriteAsync(new V1.ControlMessage { Snapshot = new V1.Snapshot { Version = 9, Nonce = "n9", Config = config } });
                while (await requests.MoveNext(context.CancellationToken))
                {
                    received.Writer.TryWrite(requests.Current);
                }
            });

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var hello = await received.Reader.ReadAsync(timeout.Token);
            Assert.Equal("node-1", hello.Hello.NodeId);
            Assert.Equal("a", hello.Hello.Labels["zone"]);
            V1.NodeMessage reply;
            do
            {
                reply = await received.Reader.ReadAsync(timeout.Token);
            }
            while (reply.KindCase == V1.NodeMessage.KindOneofCase.Stats);

            Assert.Equal(V1.NodeMessage.KindOneofCase.Ack, reply.KindCase);
            Assert.Equal("n9", reply.Ack.Nonce);
            using var client = new HttpClient();
            Assert.Equal("a", await client.GetStringAsync($"http://127.0.0.1:{frontendPort}/"));
            V1.NodeMessage stats;
            do
            {
                stats = await received.Reader.ReadAsync(timeout.Token);
            }
            while (stats.KindCase != V1.NodeMessage.KindOneofCase.Stats);

            Assert.Equal(9UL, stats.Stats.AppliedVersion);
        }
        finally
        {
            await stop.CancelAsync();
            await agent.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<WebApplication> StartControlPlaneAsync(
        int port,
        Func<IAsyncStreamReader<V1.NodeMessage>, IServerStreamWriter<V1.ControlMessage>, ServerCallContext, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenGrpc(new IPEndPoint(IPAddress.Loopback, port)));
        var app = builder.Build();
        app.MapGrpcDuplexStreaming(NodeServiceDescriptor.Connect, handler);
        await app.StartAsync();
        return app;
    }
}
