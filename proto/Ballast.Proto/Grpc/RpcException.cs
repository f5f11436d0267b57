namespace Ballast.Proto.Grpc;

/// <summary>
/// A gRPC call ended with a non-OK status. Thrown by client calls, and thrown by server handlers to end a call
/// with the given status (sent as the <c>grpc-status</c>/<c>grpc-message</c> trailers, gRPC PROTOCOL-HTTP2).
/// </summary>
public sealed class RpcException : Exception
{
    /// <summary>Creates an exception carrying <paramref name="status"/> and no trailers.</summary>
    /// <param name="status">The call's status.</param>
    public RpcException(Status status)
        : this(status, new Metadata())
    {
    }

    /// <summary>Creates an exception carrying <paramref name="status"/> and <paramref name="trailers"/>.</summary>
    /// <param name="status">The call's status.</param>
    /// <param name="trailers">Trailing metadata: received from the server, or to send to the client.</param>
    public RpcException(Status status, Metadata trailers)
        : base(status.ToString())
    {
        ArgumentNullException.ThrowIfNull(trailers);
        Status = status;
        Trailers = trailers;
    }

    /// <summary>The call's status.</summary>
    public Status Status { get; }

    /// <summary>The call's status code (shortcut for <c>Status.Code</c>).</summary>
    public StatusCode StatusCode => Status.Code;

    /// <summary>Trailing metadata of the call (user metadata only, no reserved <c>grpc-*</c> keys).</summary>
    public Metadata Trailers { get; }
}
