using System.Diagnostics;
using Ballast.Proto.Grpc;
using Ballast.Proto.Tests.Echo;
using Ballast.Proto.Tests.TestSupport;

namespace Ballast.Proto.Tests.Grpc.Server;

public sealed class ServerShutdownTests
{
    [Fact]
    public async Task Shutdown_EndsOpenDuplexCallsWithUnavailable_AndStopsPromptly()
    {
        var server = await GrpcTestServer.StartAsync(e => new EchoService().Map(e));
        using var channel = server.CreateChannel();
        using var call = channel.DuplexStreaming(EchoMethods.Bidi);
        await call.RequestStream.WriteAsync(new EchoRequest { Text = "open" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Call));
        var stopwatch = Stopwatch.StartNew();

        var stop = server.DisposeAsync().AsTask();
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Call));
        await stop.WaitAsync(TestTimeouts.Call);

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
    }
}
