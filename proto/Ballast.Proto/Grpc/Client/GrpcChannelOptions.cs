namespace Ballast.Proto.Grpc;

/// <summary>Options of a <see cref="GrpcChannel"/>.</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>
    /// The HTTP handler that carries the calls; it must speak HTTP/2 (for https, set TLS options on it). Null
    /// (default): a <see cref="SocketsHttpHandler"/> with multiple HTTP/2 connections, 30 s keep-alive pings and a
    /// 5 s connect timeout, owned and disposed by the channel.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>Largest accepted response message in bytes (default 4 MiB); larger ones fail the call with RESOURCE_EXHAUSTED.</summary>
    public int MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>Whether disposing the channel disposes <see cref="HttpHandler"/> (default false; the default handler is always disposed).</summary>
    public bool DisposeHttpHandler { get; set; }
}
