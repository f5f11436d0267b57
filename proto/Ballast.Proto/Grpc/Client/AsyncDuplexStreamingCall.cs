namespace Ballast.Proto.Grpc;

/// <summary>
/// A running duplex (bidi) call: write <see cref="RequestStream"/> and read <see cref="ResponseStream"/>
/// independently. Dispose it when done: disposing a running call cancels it.
/// </summary>
/// <typeparam name="TRequest">Request message type.</typeparam>
/// <typeparam name="TResponse">Response message type.</typeparam>
public sealed class AsyncDuplexStreamingCall<TRequest, TResponse> : IDisposable
{
    private readonly IClientCallControl _call;

    internal AsyncDuplexStreamingCall(
        IClientStreamWriter<TRequest> requestStream, IAsyncStreamReader<TResponse> responseStream, IClientCallControl call)
    {
        RequestStream = requestStream;
        ResponseStream = responseStream;
        _call = call;
    }

    /// <summary>The request messages; call <see cref="IClientStreamWriter{T}.CompleteAsync"/> after the last one.</summary>
    public IClientStreamWriter<TRequest> RequestStream { get; }

    /// <summary>The response messages; after the last one, a non-OK status throws <see cref="RpcException"/>.</summary>
    public IAsyncStreamReader<TResponse> ResponseStream { get; }

    /// <summary>The server's response headers (user metadata); faults with <see cref="RpcException"/> if the call fails first.</summary>
    public Task<Metadata> ResponseHeadersAsync => _call.ResponseHeadersAsync;

    /// <summary>The final status; only once the call has ended (else <see cref="InvalidOperationException"/>).</summary>
    /// <returns>The status.</returns>
    public Status GetStatus() => _call.GetStatus();

    /// <summary>The trailers (user metadata); only once the call has ended (else <see cref="InvalidOperationException"/>).</summary>
    /// <returns>The trailers.</returns>
    public Metadata GetTrailers() => _call.GetTrailers();

    /// <summary>Cancels the call if still running (RST_STREAM to the server) and frees its resources.</summary>
    public void Dispose() => _call.Dispose();
}
