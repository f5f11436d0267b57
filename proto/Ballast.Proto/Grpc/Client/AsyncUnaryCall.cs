namespace Ballast.Proto.Grpc;

/// <summary>
/// A running unary call with access to its metadata (see <see cref="GrpcChannel.UnaryCall{TRequest,TResponse}"/>).
/// Dispose it when done: disposing a running call cancels it.
/// </summary>
/// <typeparam name="TResponse">Response message type.</typeparam>
public sealed class AsyncUnaryCall<TResponse> : IDisposable
{
    private readonly IClientCallControl _call;

    internal AsyncUnaryCall(Task<TResponse> responseAsync, IClientCallControl call)
    {
        ResponseAsync = responseAsync;
        _call = call;
    }

    /// <summary>The response; a non-OK status throws <see cref="RpcException"/>.</summary>
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
