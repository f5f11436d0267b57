using System.IO.Pipelines;
using Ballast.Proto.Grpc;
using Ballast.Proto.Tests.Echo;
using Ballast.Proto.Tests.TestSupport;
using Google.Protobuf;

namespace Ballast.Proto.Tests.Grpc.Internal;

public sealed class MessageReaderTests
{
    private static readonly MessageParser<EchoRequest> Parser = EchoRequest.Parser;

    [Fact]
    public async Task Read_MessageSplitIntoSingleBytes_IsReassembled()
    {
        var pipe = new Pipe();
        var reader = new MessageReader(pipe.Reader, 1024, null);
        var framed = RawGrpcClient.Frame(new EchoRequest { Text = "split", Count = 7 });

        var read = reader.ReadAsync(Parser, CancellationToken.None).AsTask();
        foreach (var b in framed)
        {
            Assert.False(read.IsCompleted);
            await pipe.Writer.WriteAsync(new[] { b });
        }

        Assert.Equal(new EchoRequest { Text = "split", Count = 7 }, await read.WaitAsync(TestTimeouts.Call));
    }

    [Fact]
    public async Task Read_SeveralMessagesInOneBuffer_ReturnsEachThenEnd()
    {
        var pipe = new Pipe();
        var reader = new MessageReader(pipe.Reader, 1024, null);
        byte[] all = [.. RawGrpcClient.Frame(new EchoRequest { Text = "a" }), .. RawGrpcClient.Frame(new EchoRequest()), .. RawGrpcClient.Frame(new EchoRequest { Text = "c" })];
        await pipe.Writer.WriteAsync(all);
        await pipe.Writer.CompleteAsync();

        Assert.Equal("a", (await reader.ReadAsync(Parser, CancellationToken.None))!.Text);
        Assert.Equal(new EchoRequest(), await reader.ReadAsync(Parser, CancellationToken.None));
        Assert.Equal("c", (await reader.ReadAsync(Parser, CancellationToken.None))!.Text);
        Assert.Null(await reader.ReadAsync(Parser, CancellationToken.None));
    }

    [Fact]
    public async Task Read_PrefixSplitAcrossWrites_IsReassembled()
    {
        var pipe = new Pipe();
        var reader = new MessageReader(pipe.Reader, 1024, null);
        var framed = RawGrpcClient.Frame(new EchoRequest { Text = "prefix" });
        await pipe.Writer.WriteAsync(framed.AsMemory(0, 3));
        var read = reader.ReadAsync(Parser, CancellationToken.None).AsTask();
        await pipe.Writer.WriteAsync(framed.AsMemory(3));

        Assert.Equal("prefix", (await read.WaitAsync(TestTimeouts.Call))!.Text);
    }

    [Fact]
    public async Task Read_EndInsideMessage_IsInternal()
    {
        var pipe = new Pipe();
        var reader = new MessageReader(pipe.Reader, 1024, null);
        await pipe.Writer.WriteAsync(RawGrpcClient.Frame(new EchoRequest { Text = "cut" })[..6]);
        await pipe.Writer.CompleteAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => reader.ReadAsync(Parser, CancellationToken.None).AsTask());
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Read_OversizePrefix_IsResourceExhaustedBeforeThePayloadArrives()
    {
        var pipe = new Pipe();
        var reader = new MessageReader(pipe.Reader, 10, null);
        await pipe.Writer.WriteAsync(new byte[] { 0, 0, 0, 0, 11 });

        var ex = await Assert.ThrowsAsync<RpcException>(() => reader.ReadAsync(Parser, CancellationToken.None).AsTask());
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Read_MessageOfExactlyMaxSize_IsAccepted()
    {
        var message = new EchoRequest { Payload = ByteString.CopyFrom(new byte[100]) };
        var pipe = new Pipe();
        var reader = new MessageReader(pipe.Reader, message.CalculateSize(), null);
        await pipe.Writer.WriteAsync(RawGrpcClient.Frame(message));

        Assert.Equal(message, await reader.ReadAsync(Parser, CancellationToken.None));
    }

    [Fact]
    public async Task Read_CompressedFlagWithoutEncoding_IsInternal()
    {
        var pipe = new Pipe();
        var reader = new MessageReader(pipe.Reader, 1024, null);
        await pipe.Writer.WriteAsync(RawGrpcClient.Frame(new EchoRequest { Text = "z" }, flag: 1));

        var ex = await Assert.ThrowsAsync<RpcException>(() => reader.ReadAsync(Parser, CancellationToken.None).AsTask());
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Read_InvalidFlag_IsInternal()
    {
        var pipe = new Pipe();
        var reader = new MessageReader(pipe.Reader, 1024, null);
        await pipe.Writer.WriteAsync(RawGrpcClient.Frame(new EchoRequest(), flag: 2));

        var ex = await Assert.ThrowsAsync<RpcException>(() => reader.ReadAsync(Parser, CancellationToken.None).AsTask());
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Read_GarbagePayload_IsInternal()
    {
        var pipe = new Pipe();
        var reader = new MessageReader(pipe.Reader, 1024, null);
        await pipe.Writer.WriteAsync(RawGrpcClient.Frame(new byte[] { 0xFF, 0xFF, 0xFF }));

        var ex = await Assert.ThrowsAsync<RpcException>(() => reader.ReadAsync(Parser, CancellationToken.None).AsTask());
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Read_Cancelled_ThrowsOperationCanceled()
    {
        var pipe = new Pipe();
        var reader = new MessageReader(pipe.Reader, 1024, null);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.ReadAsync(Parser, cts.Token).AsTask().WaitAsync(TestTimeouts.Call));
    }
}
