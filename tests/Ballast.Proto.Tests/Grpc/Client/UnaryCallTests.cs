using Ballast.Proto.Grpc;
using Ballast.Proto.Tests.Echo;
using Ballast.Proto.Tests.TestSupport;
using Google.Protobuf;

namespace Ballast.Proto.Tests.Grpc.Client;

public sealed class UnaryCallTests : IClassFixture<EchoServerFixture>
{
    private readonly EchoServerFixture _server;

    public UnaryCallTests(EchoServerFixture server) => _server = server;

    [Fact]
    public async Task Unary_ReturnsTheEchoedMessage()
    {
        using var channel = _server.CreateChannel();
        var reply = await channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Text = "hello", Payload = ByteString.CopyFrom(1, 2, 3) })
            .WaitAsync(TestTimeouts.Call);
        Assert.Equal("hello", reply.Text);
        Assert.Equal(new byte[] { 1, 2, 3 }, reply.Payload.ToByteArray());
    }

    [Fact]
    public async Task Unary_EmptyMessages_RoundTrip()
    {
        using var channel = _server.CreateChannel();
        var reply = await channel.UnaryAsync(EchoMethods.Unary, new EchoRequest()).WaitAsync(TestTimeouts.Call);
        Assert.Equal(new EchoReply(), reply);
    }

    [Fact]
    public async Task Unary_MetadataFlowsBothWays_IncludingBinary()
    {
        using var channel = _server.CreateChannel();
        var binary = new byte[] { 0, 1, 2, 250, 251, 255 };
        var headers = new Metadata { { "x-custom", "value 1" }, { "x-data-bin", binary } };
        using var call = channel.UnaryCall(EchoMethods.Unary, new EchoRequest { Text = "md" }, new CallOptions(Headers: headers));

        var responseHeaders = await call.ResponseHeadersAsync.WaitAsync(TestTimeouts.Call);
        await call.ResponseAsync.WaitAsync(TestTimeouts.Call);

        Assert.Equal("value 1", responseHeaders.GetValue("x-custom"));
        Assert.Equal(binary, responseHeaders.GetValueBytes("x-data-bin"));
        Assert.Equal("done", call.GetTrailers().GetValue("x-trailer"));
        Assert.Equal(Status.Ok, call.GetStatus());
    }

    [Fact]
    public async Task Unary_ErrorStatus_PropagatesCodeDetailAndTrailers()
    {
        using var channel = _server.CreateChannel();
        var request = new EchoRequest { FailCode = (int)StatusCode.PermissionDenied, FailMessage = "not you" };

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoMethods.Unary, request).WaitAsync(TestTimeouts.Call));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal("not you", ex.Status.Detail);
        Assert.Equal("failed", ex.Trailers.GetValue("x-trailer"));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, ex.Trailers.GetValueBytes("x-error-bin"));
    }

    [Fact]
    public async Task Unary_NonAsciiStatusDetail_SurvivesPercentEncoding()
    {
        using var channel = _server.CreateChannel();
        const string detail = "échec 100% ✓\nline";
        var request = new EchoRequest { FailCode = (int)StatusCode.InvalidArgument, FailMessage = detail };

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoMethods.Unary, request).WaitAsync(TestTimeouts.Call));

        Assert.Equal(new Status(StatusCode.InvalidArgument, detail), ex.Status);
    }

    [Fact]
    public async Task Unary_HandlerException_BecomesUnknownWithMessageOnly()
    {
        using var channel = _server.CreateChannel();
        var request = new EchoRequest { FailCode = -1, FailMessage = "boom" };

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoMethods.Unary, request).WaitAsync(TestTimeouts.Call));

        Assert.Equal(StatusCode.Unknown, ex.StatusCode);
        Assert.Contains("boom", ex.Status.Detail);
        Assert.DoesNotContain(" at ", ex.Status.Detail);
    }

    [Fact]
    public async Task Unary_UnknownMethod_ReturnsUnimplemented()
    {
        using var channel = _server.CreateChannel();

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoMethods.Missing, new EchoRequest()).WaitAsync(TestTimeouts.Call));

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task Unary_UnreachableServer_ThrowsUnavailable()
    {
        using var channel = GrpcChannel.ForAddress(new Uri($"http://127.0.0.1:{FreePort.Closed()}"));

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoMethods.Unary, new EchoRequest()).WaitAsync(TestTimeouts.Call));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }

    [Fact]
    public async Task Unary_ServerReportsClientPeerAddress()
    {
        using var channel = _server.CreateChannel();
        await channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Text = "peer-check" }).WaitAsync(TestTimeouts.Call);
        Assert.StartsWith("ipv4:127.0.0.1:", _server.Service.Peers["peer-check"]);
    }

    [Fact]
    public async Task Unary_ManyConcurrentCalls_ShareTheChannel()
    {
        using var channel = _server.CreateChannel();
        var calls = Enumerable.Range(0, 50)
            .Select(i => channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Text = $"c{i}" }))
            .ToArray();
        var replies = await Task.WhenAll(calls).WaitAsync(TestTimeouts.Call);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"c{i}"), replies.Select(r => r.Text));
    }
}
