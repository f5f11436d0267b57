using Ballast.Proto;
using Ballast.Proto.Grpc;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Tests.TestSupport;

/// <summary>A fake data-plane node speaking ballast.v1.NodeService/Connect through the project's gRPC client.</summary>
public sealed class NodeClient : IDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private readonly GrpcChannel _channel;
    private readonly CancellationTokenSource _life = new(TimeSpan.FromMinutes(2));

    private NodeClient(Uri nodeUri, string nodeId)
    {
        NodeId = nodeId;
        _channel = GrpcChannel.ForAddress(nodeUri);
        Call = _channel.DuplexStreaming(NodeServiceDescriptor.Connect, new CallOptions(CancellationToken: _life.Token));
    }

    public string NodeId { get; }

    public AsyncDuplexStreamingCall<NodeMessage, ControlMessage> Call { get; }

    /// <summary>Opens a stream without saying anything.</summary>
    public static NodeClient Open(Uri nodeUri, string nodeId) => new(nodeUri, nodeId);

    /// <summary>Opens a stream and says Hello.</summary>
    public static async Task<NodeClient> ConnectAsync(Uri nodeUri, string nodeId, ulong appliedVersion = 0, string appliedConfigHash = "")
    {
        var client = new NodeClient(nodeUri, nodeId);
        await client.SendAsync(new NodeMessage
        {
            Hello = new Hello
            {
                NodeId = nodeId,
                Hostname = "test-host",
                SoftwareVersion = "0.1.0-test",
                AppliedVersion = appliedVersion,
                AppliedConfigHash = appliedConfigHash,
                Labels = { ["zone"] = "a" },
            },
        });
        return client;
    }

    public Task SendAsync(NodeMessage message) => Call.RequestStream.WriteAsync(message, _life.Token);

    /// <summary>The next message from the control plane (bounded wait).</summary>
    public async Task<ControlMessage> ReadAsync(TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_life.Token);
        cts.CancelAfter(timeout ?? ReadTimeout);
        Assert.True(await Call.ResponseStream.MoveNext(cts.Token), "the control plane ended the stream");
        return Call.ResponseStream.Current;
    }

    /// <summary>The next snapshot (bounded wait).</summary>
    public async Task<Snapshot> ReadSnapshotAsync()
    {
        var message = await ReadAsync();
        Assert.Equal(ControlMessage.KindOneofCase.Snapshot, message.KindCase);
        return message.Snapshot;
    }

    public Task AckAsync(Snapshot snapshot) =>
        SendAsync(new NodeMessage { Ack = new Ack { Version = snapshot.Version, Nonce = snapshot.Nonce } });

    public Task NackAsync(Snapshot snapshot, string error, ulong applied) =>
        SendAsync(new NodeMessage { Nack = new Nack { Version = snapshot.Version, Nonce = snapshot.Nonce, ErrorDetail = error, AppliedVersion = applied } });

    /// <summary>Reads until the call ends and returns the RpcException it ended with (bounded wait).</summary>
    public async Task<RpcException> ReadUntilErrorAsync()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_life.Token);
        cts.CancelAfter(ReadTimeout);
        return await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await Call.ResponseStream.MoveNext(cts.Token))
            {
            }
        });
    }

    public void Dispose()
    {
        Call.Dispose();
        _channel.Dispose();
        _life.Dispose();
    }
}
