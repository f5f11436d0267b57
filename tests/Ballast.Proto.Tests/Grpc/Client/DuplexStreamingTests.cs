using Ballast.Proto.Grpc;
using Ballast.Proto.Tests.Echo;
using Ballast.Proto.Tests.TestSupport;

namespace Ballast.Proto.Tests.Grpc.Client;

public sealed class DuplexStreamingTests : IClassFixture<EchoServerFixture>
{
    private readonly EchoServerFixture _server;

    public DuplexStreamingTests(EchoServerFixture server) => _server = server;

    [Fact]
    public async Task Duplex_EchoesEachMessageInOrder()
    {
        using var channel = _server.CreateChannel();
        using var call = channel.DuplexStreaming(EchoMethods.Bidi);
        for (var i = 0; i < 5; i++)
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Text = $"m{i}" });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Call));
            Assert.Equal($"m{i}", call.ResponseStream.Current.Text);
            Assert.Equal(i, call.ResponseStream.Current.Index);
        }

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Call));
        Assert.Equal(StatusCode.OK, call.GetStatus().Code);
        Assert.Equal("done", call.GetTrailers().GetValue("x-trailer"));
    }

    [Fact]
    public async Task Duplex_ResponseHeadersArriveBeforeTheFirstRequest()
    {
        using var channel = _server.CreateChannel();
        using var call = channel.DuplexStreaming(EchoMethods.Bidi);

        var headers = await call.ResponseHeadersAsync.WaitAsync(TestTimeouts.Call);

        Assert.Null(headers.GetValue("content-type"));
        Assert.DoesNotContain(headers, e => e.Key.StartsWith("grpc-", StringComparison.Ordinal));
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Call));
    }

    [Fact]
    public async Task Duplex_ReadsAndWritesConcurrently()
    {
        using var channel = _server.CreateChannel();
        using var call = channel.DuplexStreaming(EchoMethods.Bidi);
        const int count = 200;

        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < count; i++)
            {
                await call.RequestStream.WriteAsync(new EchoRequest { Text = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }

            await call.RequestStream.CompleteAsync();
        });
        var received = new List<int>();
        await foreach (var reply in call.ResponseStream.ReadAllAsync(new CancellationTokenSource(TestTimeouts.Call).Token))
        {
            received.Add(reply.Index);
        }

        await writer.WaitAsync(TestTimeouts.Call);
        Assert.Equal(Enumerable.Range(0, count), received);
    }

    [Fact]
    public async Task Duplex_ServerErrorMidStream_ThrowsWithStatusAndTrailers()
    {
        using var channel = _server.CreateChannel();
        using var call = channel.DuplexStreaming(EchoMethods.Bidi);
        await call.RequestStream.WriteAsync(new EchoRequest { Text = "ok" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Call));

        await call.RequestStream.WriteAsync(new EchoRequest { FailCode = (int)StatusCode.ResourceExhausted, FailMessage = "quota" });
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Call));

        Assert.Equal(new Status(StatusCode.ResourceExhausted, "quota"), ex.Status);
        Assert.Equal("failed", ex.Trailers.GetValue("x-trailer"));
    }

    [Fact]
    public async Task Duplex_ClientCancellation_IsSeenByTheServer()
    {
        using var channel = _server.CreateChannel();
        using var cts = new CancellationTokenSource();
        var id = Guid.NewGuid().ToString("N");
        using var call = channel.DuplexStreaming(EchoMethods.Bidi, new CallOptions(new Metadata { { "x-call-id", id } }, CancellationToken: cts.Token));
        await call.RequestStream.WriteAsync(new EchoRequest { Text = "first" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Call));

        cts.Cancel();

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Call));
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        Assert.Equal("cancelled", await _server.Service.OutcomeOf(id).WaitAsync(TestTimeouts.Call));
    }

    [Fact]
    public async Task Duplex_DisposeWhileRunning_CancelsTheServerCall()
    {
        using var channel = _server.CreateChannel();
        var id = Guid.NewGuid().ToString("N");
        var call = channel.DuplexStreaming(EchoMethods.Bidi, new CallOptions(new Metadata { { "x-call-id", id } }));
        await call.RequestStream.WriteAsync(new EchoRequest { Text = "first" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Call));

        call.Dispose();

        Assert.Equal(StatusCode.Cancelled, call.GetStatus().Code);
        Assert.Equal("cancelled", await _server.Service.OutcomeOf(id).WaitAsync(TestTimeouts.Call));
    }

    [Fact]
    public async Task Duplex_MoveNextToken_CancelsTheCall()
    {
        using var channel = _server.CreateChannel();
        using var call = channel.DuplexStreaming(EchoMethods.Bidi);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(cts.Token).WaitAsync(TestTimeouts.Call));

        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
    }

    [Fact]
    public async Task Duplex_StatusBeforeEnd_IsNotAvailable()
    {
        using var channel = _server.CreateChannel();
        using var call = channel.DuplexStreaming(EchoMethods.Bidi);

        Assert.Throws<InvalidOperationException>(() => call.GetStatus());
        Assert.Throws<InvalidOperationException>(() => call.GetTrailers());
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Call));
    }
}
