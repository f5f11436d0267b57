namespace Ballast.Proto.Grpc;

/// <summary>A running client-streaming call. Dispose it when done: disposing a running call cancels it.</summary>
/// <typeparam name="TRequest">Request message type.</typeparam>
/// <typeparam name="TResponse">Response message type.</typeparam>
public sealed class AsyncClientStreamingCall<TRequest, TResponse> : IDisposable
{
    private readonly IClientCallControl _call;

    internal AsyncClientStreamingCall(IClientStreamWriter<TRequest> requestStream, Task<TResponse> responseAsync, IClientCallControl call)
    {
        RequestStream = requestStream;
        ResponseAsync = responseAsync;
        _call = call;
    }

    /// <summary>The request messages; call <see cref="IClientStreamWriter{T}.CompleteAsync"/> after the last one.</summary>
    public IClientStreamWriter<TRequest> RequestStream { get; }

    /// <summary>The single response; a non-OK status throws <see cref="RpcException"/>.</summary>
    public Task<TResponse> ResponseAsync { get; }

    /// <summary>The server's response headers (user metadata); faults with <see cref="RpcException"/> if the call fails first.</summary>
    public Task<Metadata> ResponseHeadersAsync => _call.ResponseHeadersAsync;

    /// <summary>Awaits <see cref="ResponseAsync"/>.</summary>
    /// <returns>The response awaiter.</returns>
    public System.Runtime.CompilerServices.TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();

    /// <summary>The final status; only once the call has ended (else <see cref="InvalidOperationException"/>).</summary>
    /// <returns>The status.</returns>
    public Status GetStatus() => _call.GetStatus();

    /// <summary>The trailers (user metadata); only once the call has ended (else <see cref="InvalidOperationException"/>).</summary>
    /// <returns>The trailers.</returns>
    public Metadata GetTrailers() => _call.GetTrailers();

    /// <summary>Cancels the call if still running (RST_STREAM to the server) and frees its resources.</summary>
    public void Dispose() => _call.Dispose();
}
