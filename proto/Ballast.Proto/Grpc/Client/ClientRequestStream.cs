using System.Buffers;
using Google.Protobuf;

namespace Ballast.Proto.Grpc;

/// <summary>Writes request messages of a client call: each is framed, written and flushed (gRPC PROTOCOL-HTTP2).</summary>
internal sealed class ClientRequestStream<TRequest, TResponse> : IClientStreamWriter<TRequest>
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private readonly ClientCall<TRequest, TResponse> _call;
    private int _writePending;
    private bool _completed;

    public ClientRequestStream(ClientCall<TRequest, TResponse> call)
    {
        _call = call;
    }

    public async Task WriteAsync(TRequest message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Volatile.Read(ref _completed))
        {
            throw new InvalidOperationException("Request stream has already been completed.");
        }

        if (Interlocked.Exchange(ref _writePending, 1) == 1)
        {
            throw new InvalidOperationException("A write is already pending: await each WriteAsync before the next.");
        }

        try
        {
            using var registration = cancellationToken.CanBeCanceled
                ? cancellationToken.Register(static c => ((ClientCall<TRequest, TResponse>)c!).Cancel(), _call)
                : default;
            var stream = await _call.GetRequestStreamAsync().ConfigureAwait(false);
            var buffer = new ArrayBufferWriter<byte>(message.CalculateSize() + GrpcProtocol.HeaderSize);
            MessageFraming.Write(buffer, message);
            try
            {
                await stream.WriteAsync(buffer.WrittenMemory, _call.CallToken).ConfigureAwait(false);
                await stream.FlushAsync(_call.CallToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not RpcException and not InvalidOperationException)
            {
                throw _call.CreateWriteException(ex);
            }
        }
        finally
        {
            Volatile.Write(ref _writePending, 0);
        }
    }

    public Task CompleteAsync()
    {
        Volatile.Write(ref _completed, true);
        _call.RequestContent?.Complete();
        return Task.CompletedTask;
    }
}
