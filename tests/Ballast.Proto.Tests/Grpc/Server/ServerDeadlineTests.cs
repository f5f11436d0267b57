using System.Diagnostics;
using Ballast.Proto.Grpc;
using Ballast.Proto.Tests.Echo;
using Ballast.Proto.Tests.TestSupport;

namespace Ballast.Proto.Tests.Grpc.Server;

public sealed class ServerDeadlineTests
{
    [Fact]
    public async Task Server_HandlerIgnoringItsToken_StillAnswersDeadlineExceededOnTime()
    {
        var handlerDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await GrpcTestServer.StartAsync(e => e.MapGrpcUnary(EchoMethods.Unary, async (request, context) =>
        {
            await release.Task; // ignores context.CancellationToken on purpose
            handlerDone.TrySetResult();
            return new EchoReply();
        }));
        using var client = new RawGrpcClient();
        var stopwatch = Stopwatch.StartNew();

        var response = await client.PostAsync(
            server.Address,
            EchoMethods.Unary.FullName,
            RawGrpcClient.Frame(new EchoRequest()),
            headers: new Dictionary<string, string> { ["grpc-timeout"] = "300m" });

        Assert.Equal("4", response.Headers["grpc-status"]);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
        release.SetResult();
        await handlerDone.Task.WaitAsync(TestTimeouts.Call);
    }

    [Fact]
    public async Task Server_DeadlineAfterMessages_EndsStreamWithDeadlineExceededTrailer()
    {
        await using var server = await GrpcTestServer.StartAsync(e => e.MapGrpcServerStreaming(EchoMethods.ServerStream, async (request, responses, context) =>
        {
            await responses.WriteAsync(new EchoReply { Text = "first" });
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }));
        using var client = new RawGrpcClient();

        var response = await client.PostAsync(
            server.Address,
            EchoMethods.ServerStream.FullName,
            RawGrpcClient.Frame(new EchoRequest()),
            headers: new Dictionary<string, string> { ["grpc-timeout"] = "300m" });

        Assert.Equal("4", response.Trailers["grpc-status"]);
        Assert.Equal(RawGrpcClient.Frame(new EchoReply { Text = "first" }), response.Body);
    }
}
