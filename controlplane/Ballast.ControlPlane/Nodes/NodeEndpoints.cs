using Ballast.ControlPlane.Hosting;
using Ballast.Proto;
using Ballast.Proto.Grpc;

namespace Ballast.ControlPlane.Nodes;

/// <summary>Maps the node gRPC service.</summary>
internal static class NodeEndpoints
{
    /// <summary>Maps <c>ballast.v1.NodeService/Connect</c> (served on the node endpoint only).</summary>
    public static IEndpointRouteBuilder MapNodeService(this IEndpointRouteBuilder endpoints)
    {
        var handler = endpoints.ServiceProvider.GetRequiredService<NodeStreamHandler>();
        endpoints.MapGrpcDuplexStreaming(NodeServiceDescriptor.Connect, handler.HandleAsync).WithMetadata(NodeEndpointMetadata.Instance);
        endpoints.MapGrpcUnimplementedFallback().WithMetadata(NodeEndpointMetadata.Instance);
        return endpoints;
    }
}
