namespace Ballast.Proto.Grpc;

/// <summary>Writes response messages of a server-streaming or duplex call (server side). One write at a time.</summary>
/// <typeparam name="T">Message type.</typeparam>
public interface IServerStreamWriter<in T>
{
    /// <summary>Writes one length-prefixed message and flushes it to the client.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);
}
