using Google.Protobuf;

namespace Ballast.Proto.Grpc;

/// <summary>The four gRPC call shapes.</summary>
public enum MethodType
{
    /// <summary>One request, one response.</summary>
    Unary,
    /// <summary>One request, a stream of responses.</summary>
    ServerStreaming,
    /// <summary>A stream of requests, one response.</summary>
    ClientStreaming,
    /// <summary>Streams both ways (bidi).</summary>
    DuplexStreaming,
}

/// <summary>
/// Describes one RPC method: its shape, its HTTP/2 path <c>/package.Service/Method</c>
/// (gRPC PROTOCOL-HTTP2 "Path") and how to parse its protobuf messages.
/// </summary>
/// <typeparam name="TRequest">Request message type.</typeparam>
/// <typeparam name="TResponse">Response message type.</typeparam>
public sealed class Method<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    /// <summary>Creates a method description.</summary>
    /// <param name="type">Call shape.</param>
    /// <param name="serviceName">Fully-qualified service name, e.g. <c>ballast.v1.NodeService</c>.</param>
    /// <param name="name">Method name, e.g. <c>Connect</c>.</param>
    public Method(MethodType type, string serviceName, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        ArgumentException.ThrowIfNullOrEmpty(name);
        Type = type;
        ServiceName = serviceName;
        Name = name;
        FullName = $"/{serviceName}/{name}";
    }

    /// <summary>Call shape.</summary>
    public MethodType Type { get; }

    /// <summary>Fully-qualified service name.</summary>
    public string ServiceName { get; }

    /// <summary>Method name.</summary>
    public string Name { get; }

    /// <summary>HTTP/2 path: <c>/{ServiceName}/{Name}</c>.</summary>
    public string FullName { get; }

    /// <summary>Parser for request messages.</summary>
    public MessageParser<TRequest> RequestParser { get; } = new(() => new TRequest());

    /// <summary>Parser for response messages.</summary>
    public MessageParser<TResponse> ResponseParser { get; } = new(() => new TResponse());
}
