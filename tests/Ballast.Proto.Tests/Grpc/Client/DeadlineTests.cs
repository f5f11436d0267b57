using System.Diagnostics;
using Ballast.Proto.Grpc;
using Ballast.Proto.Tests.Echo;
using Ballast.Proto.Tests.TestSupport;

namespace Ballast.Proto.Tests.Grpc.Client;

public sealed class DeadlineTests : IClassFixture<EchoServerFixture>
{
    private readonly EchoServerFixture _server;

    public DeadlineTests(EchoServerFixture server) => _server = server;

    [Fact]
    public async Task Unary_DeadlineExceeded_WhenHandlerIsSlow()
    {
        using var channel = await ConnectedChannelAsync();
        var text = Guid.NewGuid().ToString("N");
        var deadline = DateTime.UtcNow.AddSeconds(1);
        var request = new EchoRequest { Text = text, DelayMs = 10_000 };

        var ex = await Assert.ThrowsAsync<RpcException>(
            () => channel.UnaryAsync(EchoMethods.Unary, request, new CallOptions(Deadline: deadline)).WaitAsync(TestTimeouts.Call));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.Equal("cancelled", await _server.Service.OutcomeOf(text).WaitAsync(TestTimeouts.Call));
        var serverDeadline = _server.Service.Deadlines[text];
        Assert.NotNull(serverDeadline);
        Assert.InRange(serverDeadline.Value, deadline.AddSeconds(-1), deadline.AddSeconds(1));
    }

    [Fact]
    public async Task Unary_DeadlineInThePast_FailsAtOnceWithoutCallingTheServer()
    {
        using var channel = _server.CreateChannel();
        var text = Guid.NewGuid().ToString("N");

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(
            EchoMethods.Unary, new EchoRequest { Text = text }, new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(-1))));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.False(_server.Service.Deadlines.ContainsKey(text));
    }

    [Fact]
    public async Task Unary_GenerousDeadline_Succeeds()
    {
        using var channel = _server.CreateChannel();
        var reply = await channel.UnaryAsync(
            EchoMethods.Unary, new EchoRequest { Text = "in time", DelayMs = 50 }, new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(30)))
            .WaitAsync(TestTimeouts.Call);
        Assert.Equal("in time", reply.Text);
    }

    [Fact]
    public async Task ServerStreaming_DeadlineExceeded_MidStream()
    {
        using var channel = _server.CreateChannel();
        var request = new EchoRequest { Text = "slow", Count = 100, DelayMs = 100 };
        using var call = channel.ServerStreaming(EchoMethods.ServerStream, request, new CallOptions(Deadline: DateTime.UtcNow.AddMilliseconds(500)));

        var received = 0;
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                received++;
            }
        }).WaitAsync(TestTimeouts.Call);

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.InRange(received, 0, 10);
        Assert.Equal(StatusCode.DeadlineExceeded, call.GetStatus().Code);
    }

    [Fact]
    public async Task Duplex_DeadlineExceeded_WhileWaitingForMessages()
    {
        using var channel = await ConnectedChannelAsync();
        var id = Guid.NewGuid().ToString("N");
        var options = new CallOptions(new Metadata { { "x-call-id", id } }, DateTime.UtcNow.AddSeconds(1));
        using var call = channel.DuplexStreaming(EchoMethods.Bidi, options);
        var stopwatch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Call));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
        Assert.Equal("cancelled", await _server.Service.OutcomeOf(id).WaitAsync(TestTimeouts.Call));
    }

    /// <summary>A channel whose HTTP/2 connection is up, so a short deadline is spent in the handler, not in connecting.</summary>
    private async Task<GrpcChannel> ConnectedChannelAsync()
    {
        var channel = _server.CreateChannel();
        await channel.UnaryAsync(EchoMethods.Unary, new EchoRequest()).WaitAsync(TestTimeouts.Call);
        return channel;
    }

    [Fact]
    public async Task Duplex_WriteAfterDeadline_ThrowsDeadlineExceeded()
    {
        using var channel = _server.CreateChannel();
        using var call = channel.DuplexStreaming(EchoMethods.Bidi, new CallOptions(Deadline: DateTime.UtcNow.AddMilliseconds(200)));
        await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Call));

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.RequestStream.WriteAsync(new EchoRequest()).WaitAsync(TestTimeouts.Call));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
    }
}
