namespace Ballast.Proto.Grpc;

/// <summary>Writes request messages of a client-streaming or duplex call (client side). One write at a time.</summary>
/// <typeparam name="T">Message type.</typeparam>
public interface IClientStreamWriter<in T>
{
    /// <summary>
    /// Writes one length-prefixed message and flushes it to the server. Throws <see cref="RpcException"/> when the
    /// call has already ended, <see cref="InvalidOperationException"/> after <see cref="CompleteAsync"/>.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the write (and the call).</param>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);

    /// <summary>Ends the request stream (HTTP/2 END_STREAM); the server sees the end of its request stream.</summary>
    Task CompleteAsync();
}
