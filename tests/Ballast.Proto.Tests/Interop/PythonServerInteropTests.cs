using Ballast.Proto.Grpc;
using Ballast.Proto.Tests.Echo;
using Ballast.Proto.Tests.TestSupport;
using Google.Protobuf;

namespace Ballast.Proto.Tests.Interop;

/// <summary>Our C# client against a python grpcio server: proves our client speaks real gRPC.</summary>
public sealed class PythonServerInteropTests : IClassFixture<PythonEchoServerFixture>
{
    private readonly PythonEchoServerFixture _python;

    public PythonServerInteropTests(PythonEchoServerFixture python) => _python = python;

    [Fact]
    public async Task OurClient_Unary_AgainstPythonServer()
    {
        using var channel = _python.CreateChannel();
        var reply = await channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Text = "hi", Payload = ByteString.CopyFrom(0, 255) })
            .WaitAsync(TestTimeouts.Call);
        Assert.Equal("hi", reply.Text);
        Assert.Equal(new byte[] { 0, 255 }, reply.Payload.ToByteArray());
    }

    [Fact]
    public async Task OurClient_UnaryMetadata_RoundTripsWithPythonServer()
    {
        using var channel = _python.CreateChannel();
        var binary = new byte[] { 0, 1, 254, 255, 7 };
        var headers = new Metadata { { "x-custom", "value 1" }, { "x-data-bin", binary } };
        using var call = channel.UnaryCall(EchoMethods.Unary, new EchoRequest { Text = "md" }, new CallOptions(headers));

        await call.ResponseAsync.WaitAsync(TestTimeouts.Call);
        var responseHeaders = await call.ResponseHeadersAsync;

        Assert.Equal("value 1", responseHeaders.GetValue("x-custom"));
        Assert.Equal(binary, responseHeaders.GetValueBytes("x-data-bin"));
        Assert.Equal("done", call.GetTrailers().GetValue("x-trailer"));
    }

    [Fact]
    public async Task OurClient_ServerStreaming_AgainstPythonServer()
    {
        using var channel = _python.CreateChannel();
        using var call = channel.ServerStreaming(EchoMethods.ServerStream, new EchoRequest { Text = "s", Count = 10 });
        var texts = new List<string>();
        await foreach (var reply in call.ResponseStream.ReadAllAsync(new CancellationTokenSource(TestTimeouts.Call).Token))
        {
            texts.Add(reply.Text);
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"s-{i}"), texts);
        Assert.Equal(StatusCode.OK, call.GetStatus().Code);
    }

    [Fact]
    public async Task OurClient_ClientStreaming_AgainstPythonServer()
    {
        using var channel = _python.CreateChannel();
        using var call = channel.ClientStreaming(EchoMethods.ClientStream);
        foreach (var text in new[] { "a", "b", "c" })
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Text = text });
        }

        await call.RequestStream.CompleteAsync();
        var reply = await call.ResponseAsync.WaitAsync(TestTimeouts.Call);

        Assert.Equal("a,b,c", reply.Text);
        Assert.Equal(3, reply.Index);
    }

    [Fact]
    public async Task OurClient_Duplex_LockStepWithPythonServer()
    {
        using var channel = _python.CreateChannel();
        using var call = channel.DuplexStreaming(EchoMethods.Bidi);
        for (var i = 0; i < 5; i++)
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Text = $"m{i}" });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Call));
            Assert.Equal($"m{i}", call.ResponseStream.Current.Text);
        }

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Call));
        Assert.Equal("done", call.GetTrailers().GetValue("x-trailer"));
    }

    [Fact]
    public async Task OurClient_ErrorStatus_FromPythonServer()
    {
        using var channel = _python.CreateChannel();
        const string detail = "not you: 100% ✓";
        var request = new EchoRequest { FailCode = (int)StatusCode.PermissionDenied, FailMessage = detail };

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoMethods.Unary, request).WaitAsync(TestTimeouts.Call));

        Assert.Equal(new Status(StatusCode.PermissionDenied, detail), ex.Status);
        Assert.Equal("failed", ex.Trailers.GetValue("x-trailer"));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, ex.Trailers.GetValueBytes("x-error-bin"));
    }

    [Fact]
    public async Task OurClient_DuplexErrorMidStream_FromPythonServer()
    {
        using var channel = _python.CreateChannel();
        using var call = channel.DuplexStreaming(EchoMethods.Bidi);
        await call.RequestStream.WriteAsync(new EchoRequest { Text = "ok" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Call));
        await call.RequestStream.WriteAsync(new EchoRequest { FailCode = (int)StatusCode.Aborted, FailMessage = "stop" });

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Call));

        Assert.Equal(new Status(StatusCode.Aborted, "stop"), ex.Status);
    }

    [Fact]
    public async Task OurClient_Deadline_AgainstSlowPythonServer()
    {
        using var channel = _python.CreateChannel();
        var options = new CallOptions(Deadline: DateTime.UtcNow.AddMilliseconds(300));

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { DelayMs = 10_000 }, options).WaitAsync(TestTimeouts.Call));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
    }

    [Fact]
    public async Task OurClient_UnknownMethod_IsUnimplementedByPythonServer()
    {
        using var channel = _python.CreateChannel();

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoMethods.Missing, new EchoRequest()).WaitAsync(TestTimeouts.Call));

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }
}
