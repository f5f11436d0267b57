using Ballast.Proto.Grpc;
using Ballast.Proto.Tests.Echo;
using Ballast.Proto.Tests.TestSupport;

namespace Ballast.Proto.Tests.Grpc.Client;

public sealed class StreamingCallTests : IClassFixture<EchoServerFixture>
{
    private readonly EchoServerFixture _server;

    public StreamingCallTests(EchoServerFixture server) => _server = server;

    [Fact]
    public async Task ServerStreaming_ReceivesAllMessagesInOrderThenOk()
    {
        using var channel = _server.CreateChannel();
        using var call = channel.ServerStreaming(EchoMethods.ServerStream, new EchoRequest { Text = "s", Count = 20 });

        var replies = await ReadAllAsync(call.ResponseStream);

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"s-{i}"), replies.Select(r => r.Text));
        Assert.Equal(StatusCode.OK, call.GetStatus().Code);
        Assert.Equal("done", call.GetTrailers().GetValue("x-trailer"));
    }

    [Fact]
    public async Task ServerStreaming_ZeroMessages_EndsWithOk()
    {
        using var channel = _server.CreateChannel();
        using var call = channel.ServerStreaming(EchoMethods.ServerStream, new EchoRequest { Count = 0 });

        Assert.Empty(await ReadAllAsync(call.ResponseStream));
        Assert.Equal(StatusCode.OK, call.GetStatus().Code);
    }

    [Fact]
    public async Task ServerStreaming_ErrorAfterMessages_ThrowsAfterTheLastMessage()
    {
        using var channel = _server.CreateChannel();
        var request = new EchoRequest { Text = "e", Count = 3, FailCode = (int)StatusCode.Aborted, FailMessage = "stop" };
        using var call = channel.ServerStreaming(EchoMethods.ServerStream, request);

        var received = new List<string>();
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var reply in call.ResponseStream.ReadAllAsync().WithCancellation(CancellationToken.None))
            {
                received.Add(reply.Text);
            }
        }).WaitAsync(TestTimeouts.Call);

        Assert.Equal(["e-0", "e-1", "e-2"], received);
        Assert.Equal(new Status(StatusCode.Aborted, "stop"), ex.Status);
        Assert.Equal(ex.Status, call.GetStatus());
        Assert.Equal("failed", call.GetTrailers().GetValue("x-trailer"));
    }

    [Fact]
    public async Task ServerStreaming_ResponseHeadersArriveBeforeMessages()
    {
        using var channel = _server.CreateChannel();
        var headers = new Metadata { { "x-hello", "world" } };
        using var call = channel.ServerStreaming(EchoMethods.ServerStream, new EchoRequest { Count = 1 }, new CallOptions(Headers: headers));

        var responseHeaders = await call.ResponseHeadersAsync.WaitAsync(TestTimeouts.Call);

        Assert.Equal("world", responseHeaders.GetValue("x-hello"));
        Assert.Single(await ReadAllAsync(call.ResponseStream));
    }

    [Fact]
    public async Task ClientStreaming_AggregatesAllRequests()
    {
        using var channel = _server.CreateChannel();
        using var call = channel.ClientStreaming(EchoMethods.ClientStream);
        foreach (var text in new[] { "a", "b", "c" })
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Text = text });
        }

        await call.RequestStream.CompleteAsync();
        var reply = await call.ResponseAsync.WaitAsync(TestTimeouts.Call);

        Assert.Equal("a,b,c", reply.Text);
        Assert.Equal(3, reply.Index);
        Assert.Equal(StatusCode.OK, call.GetStatus().Code);
    }

    [Fact]
    public async Task ClientStreaming_NoRequests_ReturnsEmptyAggregate()
    {
        using var channel = _server.CreateChannel();
        using var call = channel.ClientStreaming(EchoMethods.ClientStream);
        await call.RequestStream.CompleteAsync();

        var reply = await call.ResponseAsync.WaitAsync(TestTimeouts.Call);

        Assert.Equal(0, reply.Index);
    }

    [Fact]
    public async Task ClientStreaming_ServerError_FailsResponseAndLaterWrites()
    {
        using var channel = _server.CreateChannel();
        using var call = channel.ClientStreaming(EchoMethods.ClientStream);
        await call.RequestStream.WriteAsync(new EchoRequest { FailCode = (int)StatusCode.FailedPrecondition, FailMessage = "bad" });

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(TestTimeouts.Call));
        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);

        var writeEx = await Assert.ThrowsAsync<RpcException>(() => call.RequestStream.WriteAsync(new EchoRequest()).WaitAsync(TestTimeouts.Call));
        Assert.Equal(StatusCode.FailedPrecondition, writeEx.StatusCode);
    }

    [Fact]
    public async Task ClientStreaming_WriteAfterComplete_Throws()
    {
        using var channel = _server.CreateChannel();
        using var call = channel.ClientStreaming(EchoMethods.ClientStream);
        await call.RequestStream.CompleteAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => call.RequestStream.WriteAsync(new EchoRequest()));
        await call.ResponseAsync.WaitAsync(TestTimeouts.Call);
    }

    private static async Task<List<EchoReply>> ReadAllAsync(IAsyncStreamReader<EchoReply> stream)
    {
        var replies = new List<EchoReply>();
        using var cts = new CancellationTokenSource(TestTimeouts.Call);
        await foreach (var reply in stream.ReadAllAsync(cts.Token))
        {
            replies.Add(reply);
        }

        return replies;
    }
}
