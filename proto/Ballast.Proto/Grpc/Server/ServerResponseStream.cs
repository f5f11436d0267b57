using Google.Protobuf;

namespace Ballast.Proto.Grpc;

/// <summary>The response messages of a server call: each write is framed and flushed (gRPC PROTOCOL-HTTP2).</summary>
internal sealed class ServerResponseStream<T> : IServerStreamWriter<T>
    where T : class, IMessage<T>
{
    private readonly ServerResponse _response;
    private readonly CancellationToken _callToken;

    public ServerResponseStream(ServerResponse response, CancellationToken callToken)
    {
        _response = response;
        _callToken = callToken;
    }

    public async Task WriteAsync(T message, CancellationToken cancellationToken = default)
    {
        if (!cancellationToken.CanBeCanceled || cancellationToken == _callToken)
        {
            await _response.WriteMessageAsync(message, _callToken).ConfigureAwait(false);
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_callToken, cancellationToken);
        await _response.WriteMessageAsync(message, linked.Token).ConfigureAwait(false);
    }
}
