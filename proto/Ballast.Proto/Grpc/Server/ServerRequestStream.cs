using Google.Protobuf;

namespace Ballast.Proto.Grpc;

/// <summary>The request messages of a server call, read from the HTTP/2 request body.</summary>
internal sealed class ServerRequestStream<T> : IAsyncStreamReader<T>
    where T : class, IMessage<T>
{
    private readonly MessageReader _reader;
    private readonly MessageParser<T> _parser;
    private readonly ServerResponse _response;
    private readonly CancellationToken _callToken;
    private readonly bool _startResponseBeforeRead;
    private T? _current;

    // startResponseBeforeRead (duplex): send the response headers before the first wait for a message.
    public ServerRequestStream(
        MessageReader reader, MessageParser<T> parser, ServerResponse response, CancellationToken callToken, bool startResponseBeforeRead)
    {
        _reader = reader;
        _parser = parser;
        _response = response;
        _callToken = callToken;
        _startResponseBeforeRead = startResponseBeforeRead;
    }

    public T Current => _current ?? throw new InvalidOperationException("No current message: call MoveNext first.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        using var linked = Link(cancellationToken);
        var token = linked?.Token ?? _callToken;
        if (_startResponseBeforeRead)
        {
            await _response.EnsureStartedAsync(token).ConfigureAwait(false);
        }

        try
        {
            _current = await _reader.ReadAsync(_parser, token).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            // A client reset can surface as an IOException before RequestAborted fires.
            throw new OperationCanceledException("The client aborted the request stream.", ex, _callToken);
        }

        return _current is not null;
    }

    /// <summary>Reads exactly one message (unary and server-streaming requests).</summary>
    public async Task<T> ReadSingleAsync()
    {
        if (!await MoveNext(CancellationToken.None).ConfigureAwait(false))
        {
            throw new RpcException(new Status(StatusCode.Internal, "Request message missing: this method takes exactly one."));
        }

        var message = Current;
        if (await MoveNext(CancellationToken.None).ConfigureAwait(false))
        {
            throw new RpcException(new Status(StatusCode.Internal, "Additional request message: this method takes exactly one."));
        }

        return message;
    }

    private CancellationTokenSource? Link(CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled && cancellationToken != _callToken
            ? CancellationTokenSource.CreateLinkedTokenSource(_callToken, cancellationToken)
            : null;
}
