using Google.Protobuf;

namespace Ballast.Proto.Grpc;

/// <summary>Reads response messages of a client call; a non-OK final status throws <see cref="RpcException"/>.</summary>
internal sealed class ClientResponseStream<TRequest, TResponse> : IAsyncStreamReader<TResponse>
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private readonly ClientCall<TRequest, TResponse> _call;
    private TResponse? _current;

    public ClientResponseStream(ClientCall<TRequest, TResponse> call)
    {
        _call = call;
    }

    public TResponse Current => _current ?? throw new InvalidOperationException("No current message: call MoveNext first.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        _current = await _call.ReadMessageAsync(cancellationToken).ConfigureAwait(false);
        return _current is not null;
    }
}
