namespace Ballast.Proto.Grpc;

/// <summary>Reads a stream of gRPC messages one at a time (a request stream on the server, a response stream on the client).</summary>
/// <typeparam name="T">Message type.</typeparam>
public interface IAsyncStreamReader<out T>
{
    /// <summary>The message read by the last successful <see cref="MoveNext"/>.</summary>
    T Current { get; }

    /// <summary>
    /// Reads the next message. Returns false at the end of the stream; on the client a non-OK final status
    /// throws <see cref="RpcException"/> instead.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait (on the client it cancels the whole call).</param>
    Task<bool> MoveNext(CancellationToken cancellationToken);
}
