using System.IO.Pipelines;
using Google.Protobuf;

namespace Ballast.Proto.Grpc;

/// <summary>Reads length-prefixed messages (gRPC PROTOCOL-HTTP2) from a pipe, parsing straight from its buffers.</summary>
internal sealed class MessageReader
{
    private readonly PipeReader _reader;
    private readonly int _maxMessageSize;
    private readonly string? _encoding;

    /// <param name="reader">The body.</param>
    /// <param name="maxMessageSize">Largest accepted payload in bytes.</param>
    /// <param name="encoding">The peer's <c>grpc-encoding</c>, or null.</param>
    public MessageReader(PipeReader reader, int maxMessageSize, string? encoding)
    {
        _reader = reader;
        _maxMessageSize = maxMessageSize;
        _encoding = encoding;
    }

    /// <summary>
    /// Reads the next message; null at a clean end of the body. A body ending inside a message is INTERNAL.
    /// </summary>
    public async ValueTask<T?> ReadAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var wasEmpty = buffer.IsEmpty;
            T? message = null;
            var consumed = buffer.Start;
            try
            {
                if (MessageFraming.TryReadFrame(ref buffer, _maxMessageSize, out var payload, out var compressed))
                {
                    message = MessageFraming.Parse(parser, payload, compressed, _encoding, _maxMessageSize);
                    consumed = buffer.Start;
                }
            }
            finally
            {
                // On success consume the message; otherwise mark everything examined so the next read waits for more.
                if (message is not null)
                {
                    _reader.AdvanceTo(consumed);
                }
                else
                {
                    _reader.AdvanceTo(consumed, result.Buffer.End);
                }
            }

            if (message is not null)
            {
                return message;
            }

            if (result.IsCompleted)
            {
                if (wasEmpty)
                {
                    return null;
                }

                throw new RpcException(new Status(StatusCode.Internal, "Incomplete message: the stream ended inside a message."));
            }

            if (result.IsCanceled)
            {
                throw new OperationCanceledException("The read was cancelled.");
            }
        }
    }
}
