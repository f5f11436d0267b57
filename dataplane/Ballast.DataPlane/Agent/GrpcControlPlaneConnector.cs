using Ballast.Proto;
using Ballast.Proto.Grpc;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Agent;

/// <summary>Connects over our gRPC transport (<see cref="GrpcChannel"/>, real gRPC over h2c or TLS).</summary>
/// <param name="options">Node settings: the control-plane address.</param>
internal sealed class GrpcControlPlaneConnector(NodeOptions options) : IControlPlaneConnector
{
    /// <summary>Largest snapshot accepted, in bytes (gRPC's 4 MiB default is small for a fleet configuration).</summary>
    public const int MaxSnapshotBytes = 64 * 1024 * 1024;

    /// <inheritdoc />
    public IControlPlaneSession Connect(CancellationToken cancellationToken)
    {
        var channel = GrpcChannel.ForAddress(options.ControlPlane, new GrpcChannelOptions { MaxReceiveMessageSize = MaxSnapshotBytes });
        try
        {
            var call = channel.DuplexStreaming(NodeServiceDescriptor.Connect, new CallOptions(CancellationToken: cancellationToken));
            return new Session(channel, call);
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    private sealed class Session(GrpcChannel channel, AsyncDuplexStreamingCall<V1.NodeMessage, V1.ControlMessage> call) : IControlPlaneSession
    {
        public V1.ControlMessage Current => call.ResponseStream.Current;

        public Task WaitAcceptedAsync(CancellationToken cancellationToken) => call.ResponseHeadersAsync.WaitAsync(cancellationToken);

        public Task WriteAsync(V1.NodeMessage message, CancellationToken cancellationToken) =>
            call.RequestStream.WriteAsync(message, cancellationToken);

        public Task<bool> MoveNextAsync(CancellationToken cancellationToken) => call.ResponseStream.MoveNext(cancellationToken);

        public void Dispose()
        {
            call.Dispose();
            channel.Dispose();
        }
    }
}
