using Ballast.Proto.Grpc;
using Ballast.Proto.Tests.Echo;
using Ballast.Proto.Tests.TestSupport;
using Google.Protobuf;

namespace Ballast.Proto.Tests.Grpc.Server;

public sealed class ServerCallContextTests
{
    [Fact]
    public async Task Status_SetByTheHandler_IsSentWithoutThrowing()
    {
        await using var server = await GrpcTestServer.StartAsync(e => e.MapGrpcServerStreaming(EchoMethods.ServerStream, async (request, responses, context) =>
        {
            await responses.WriteAsync(new EchoReply { Text = "partial" });
            context.ResponseTrailers.Add("x-reason", "quota");
            context.Status = new Status(StatusCode.ResourceExhausted, "slow down");
        }));
        using var channel = server.CreateChannel();
        using var call = channel.ServerStreaming(EchoMethods.ServerStream, new EchoRequest());

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Call));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Call));

        Assert.Equal(new Status(StatusCode.ResourceExhausted, "slow down"), ex.Status);
        Assert.Equal("quota", ex.Trailers.GetValue("x-reason"));
    }

    [Fact]
    public async Task WriteResponseHeaders_Twice_Throws()
    {
        Exception? second = null;
        await using var server = await GrpcTestServer.StartAsync(e => e.MapGrpcUnary(EchoMethods.Unary, async (request, context) =>
        {
            await context.WriteResponseHeadersAsync(new Metadata { { "x-one", "1" } });
            second = await Record.ExceptionAsync(() => context.WriteResponseHeadersAsync(new Metadata()));
            return new EchoReply();
        }));
        using var channel = server.CreateChannel();
        using var call = channel.UnaryCall(EchoMethods.Unary, new EchoRequest());

        await call.ResponseAsync.WaitAsync(TestTimeouts.Call);

        Assert.Equal("1", (await call.ResponseHeadersAsync).GetValue("x-one"));
        Assert.IsType<InvalidOperationException>(second);
    }

    [Fact]
    public async Task ConcurrentWrites_AreRejected()
    {
        var recorded = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await GrpcTestServer.StartAsync(e => e.MapGrpcServerStreaming(EchoMethods.ServerStream, async (request, responses, context) =>
        {
            // The client reads nothing until the second write was tried, so flow control holds the first one.
            var big = new EchoReply { Payload = ByteString.CopyFrom(new byte[2 * 1024 * 1024]) };
            var first = responses.WriteAsync(big);
            recorded.SetResult(await Record.ExceptionAsync(() => responses.WriteAsync(new EchoReply())));
            await first;
        }));
        using var channel = server.CreateChannel();
        using var call = channel.ServerStreaming(EchoMethods.ServerStream, new EchoRequest());
        var concurrent = await recorded.Task.WaitAsync(TestTimeouts.Call);

        while (await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Call))
        {
        }

        Assert.IsType<InvalidOperationException>(concurrent);
    }

    [Fact]
    public async Task LargeMessages_BeyondTheFlowControlWindow_RoundTripBothWays()
    {
        await using var server = await GrpcTestServer.StartAsync(e => new EchoService().Map(e));
        using var channel = server.CreateChannel();
        var payload = new byte[3 * 1024 * 1024];
        Random.Shared.NextBytes(payload);
        using var call = channel.DuplexStreaming(EchoMethods.Bidi);

        for (var i = 0; i < 2; i++)
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Payload = ByteString.CopyFrom(payload) }).WaitAsync(TestTimeouts.Call);
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Call));
            Assert.Equal(payload, call.ResponseStream.Current.Payload.ToByteArray());
        }

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Call));
    }
}
