namespace Ballast.Proto.Grpc;

/// <summary>
/// Server-side gRPC options, read from <c>IOptions&lt;GrpcServerOptions&gt;</c> when registered
/// (<c>services.Configure&lt;GrpcServerOptions&gt;(...)</c>), defaults otherwise.
/// </summary>
public sealed class GrpcServerOptions
{
    /// <summary>Largest accepted request message in bytes (default 4 MiB); larger ones end the call with RESOURCE_EXHAUSTED.</summary>
    public int MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>How long the final status waits for a pending write when the deadline passes before the stream is reset (default 1 s).</summary>
    public TimeSpan CompletionWriteTimeout { get; set; } = TimeSpan.FromSeconds(1);
}
