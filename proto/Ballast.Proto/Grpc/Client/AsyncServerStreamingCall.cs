namespace Ballast.Proto.Grpc;

/// <summary>A running server-streaming call. Dispose it when done: disposing a running call cancels it.</summary>
/// <typeparam name="TResponse">Response message type.</typeparam>
public sealed class AsyncServerStreamingCall<TResponse> : IDisposable
{
    private readonly IClientCallControl _call;

    internal AsyncServerStreamingCall(IAsyncStreamReader<TResponse> responseStream, IClientCallControl call)
    {
        ResponseStream = responseStream;
        _call = call;
    }

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
