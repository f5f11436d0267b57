using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using Google.Protobuf;

namespace Ballast.Proto.Grpc;

/// <summary>
/// Length-prefixed messages of gRPC PROTOCOL-HTTP2: 1 byte compressed flag, 4 bytes big-endian length, payload.
/// </summary>
internal static class MessageFraming
{
    /// <summary>Writes <paramref name="message"/> with its prefix (uncompressed) into <paramref name="writer"/>.</summary>
    public static void Write(IBufferWriter<byte> writer, IMessage message)
    {
        var size = message.CalculateSize();
        var header = writer.GetSpan(GrpcProtocol.HeaderSize);
        header[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(header[1..], (uint)size);
        writer.Advance(GrpcProtocol.HeaderSize);
        if (size > 0)
        {
            message.WriteTo(writer);
        }
    }

    /// <summary>
    /// Tries to cut one whole message from the front of <paramref name="buffer"/>; on success advances
    /// <paramref name="buffer"/> past it. Throws <see cref="RpcException"/> RESOURCE_EXHAUSTED as soon as a prefix
    /// announces more than <paramref name="maxMessageSize"/> bytes.
    /// </summary>
    public static bool TryReadFrame(
        ref ReadOnlySequence<byte> buffer, int maxMessageSize, out ReadOnlySequence<byte> payload, out bool compressed)
    {
        payload = default;
        compressed = false;
        if (buffer.Length < GrpcProtocol.HeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[GrpcProtocol.HeaderSize];
        buffer.Slice(0, GrpcProtocol.HeaderSize).CopyTo(header);
        if (header[0] > 1)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Invalid compressed flag {header[0]} in message prefix."));
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (length > (uint)maxMessageSize)
        {
            throw new RpcException(new Status(
                StatusCode.ResourceExhausted,
                $"Received message larger than max ({length} vs. {maxMessageSize})"));
        }

        if (buffer.Length < GrpcProtocol.HeaderSize + length)
        {
            return false;
        }

        compressed = header[0] == 1;
        payload = buffer.Slice(GrpcProtocol.HeaderSize, length);
        buffer = buffer.Slice(payload.End);
        return true;
    }

    /// <summary>
    /// Parses a payload cut by <see cref="TryReadFrame"/>. <paramref name="encoding"/> is the peer's
    /// <c>grpc-encoding</c> (null or <c>identity</c> when none); a compressed payload without one is INTERNAL.
    /// </summary>
    public static T Parse<T>(MessageParser<T> parser, ReadOnlySequence<byte> payload, bool compressed, string? encoding, int maxMessageSize)
        where T : IMessage<T>
    {
        try
        {
            if (!compressed)
            {
                return parser.ParseFrom(payload);
            }

            if (encoding is null || encoding == "identity")
            {
                throw new RpcException(new Status(
                    StatusCode.Internal, "Compressed flag set on a message but no grpc-encoding was sent."));
            }

            if (encoding != "gzip")
            {
                throw new RpcException(new Status(StatusCode.Unimplemented, $"Unsupported grpc-encoding '{encoding}'."));
            }

            return parser.ParseFrom(Gunzip(payload, maxMessageSize));
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Failed to deserialize message: " + ex.Message));
        }
    }

    private static byte[] Gunzip(ReadOnlySequence<byte> payload, int maxMessageSize)
    {
        using var input = new GZipStream(new MemoryStream(payload.ToArray()), CompressionMode.Decompress);
        using var output = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = input.Read(chunk)) > 0)
        {
            if (output.Length + read > maxMessageSize)
            {
                throw new RpcException(new Status(
                    StatusCode.ResourceExhausted, $"Decompressed message larger than max ({maxMessageSize})"));
            }

            output.Write(chunk, 0, read);
        }

        return output.ToArray();
    }
}
