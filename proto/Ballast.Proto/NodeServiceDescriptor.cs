using Ballast.Proto.Grpc;
using Ballast.Proto.V1;

namespace Ballast.Proto;

/// <summary>Method descriptions of <c>ballast.v1.NodeService</c> (proto/ballast/v1/node.proto).</summary>
public static class NodeServiceDescriptor
{
    /// <summary>Fully-qualified service name.</summary>
    public const string ServiceName = "ballast.v1.NodeService";

    /// <summary>Bidi stream opened by a node: node sends Hello, ACK/NACK and stats; control plane sends snapshots.</summary>
    public static readonly Method<NodeMessage, ControlMessage> Connect =
        new(MethodType.DuplexStreaming, ServiceName, "Connect");
}
