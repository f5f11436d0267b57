using System.Buffers;
using Ballast.Proto.Grpc;
using Ballast.Proto.Tests.Echo;
using Ballast.Proto.Tests.TestSupport;

namespace Ballast.Proto.Tests.Grpc.Internal;

public sealed class MessageFramingTests
{
    [Fact]
    public void Write_ProducesZeroFlagBigEndianLengthAndPayload()
    {
        var message = new EchoRequest { Text = new string('x', 300) };
        var buffer = new ArrayBufferWriter<byte>();

        MessageFraming.Write(buffer, message);

        Assert.Equal(RawGrpcClient.Frame(message), buffer.WrittenSpan.ToArray());
        Assert.Equal(new byte[] { 0, 0, 0, 0x01, 0x2F }, buffer.WrittenSpan[..5].ToArray()); // 303 bytes
    }

    [Fact]
    public void Write_EmptyMessage_IsJustThePrefix()
    {
        var buffer = new ArrayBufferWriter<byte>();
        MessageFraming.Write(buffer, new EchoRequest());
        Assert.Equal(new byte[5], buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void TryReadFrame_IncompleteFrame_ReturnsFalseAndLeavesBuffer()
    {
        var framed = RawGrpcClient.Frame(new EchoRequest { Text = "abc" });
        var buffer = new ReadOnlySequence<byte>(framed[..^1]);

        Assert.False(MessageFraming.TryReadFrame(ref buffer, 1024, out _, out _));
        Assert.Equal(framed.Length - 1, buffer.Length);
    }

    [Fact]
    public void TryReadFrame_MultiSegmentBuffer_CutsOneFrame()
    {
        var framed = RawGrpcClient.Frame(new EchoRequest { Text = "abc" });
        var buffer = Segments.Create([.. framed, .. framed], 2);

        Assert.True(MessageFraming.TryReadFrame(ref buffer, 1024, out var payload, out var compressed));

        Assert.False(compressed);
        Assert.Equal(new EchoRequest { Text = "abc" }, EchoRequest.Parser.ParseFrom(payload));
        Assert.Equal(framed.Length, buffer.Length);
    }

    /// <summary>Builds multi-segment sequences.</summary>
    private sealed class Segments : ReadOnlySequenceSegment<byte>
    {
        private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public static ReadOnlySequence<byte> Create(byte[] data, int segmentSize)
        {
            var first = new Segments(data.AsMemory(0, Math.Min(segmentSize, data.Length)), 0);
            var last = first;
            for (var offset = segmentSize; offset < data.Length; offset += segmentSize)
            {
                var next = new Segments(data.AsMemory(offset, Math.Min(segmentSize, data.Length - offset)), offset);
                last.Next = next;
                last = next;
            }

            return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        }
    }
}
