namespace Ballast.Proto.Grpc;

/// <summary>Per-call options of a client call.</summary>
/// <param name="Headers">User metadata sent as request headers (<c>-bin</c> keys base64-encoded); null for none.</param>
/// <param name="Deadline">
/// When the call must end (UTC; local times are converted). Sent as <c>grpc-timeout</c> (gRPC PROTOCOL-HTTP2) and
/// enforced locally: the call fails with DEADLINE_EXCEEDED and the HTTP/2 stream is reset. Null for none.
/// </param>
/// <param name="CancellationToken">Cancels the call: it fails with CANCELLED and the HTTP/2 stream is reset.</param>
public readonly record struct CallOptions(
    Metadata? Headers = null,
    DateTime? Deadline = null,
    CancellationToken CancellationToken = default);
