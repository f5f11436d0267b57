using Ballast.ControlPlane.Fleet;
using Ballast.Proto.Grpc;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Nodes;

/// <summary>
/// Serves <c>ballast.v1.NodeService/Connect</c>, xDS state-of-the-world style: the node says Hello, the control
/// plane sends full snapshots (version + fresh nonce), the node ACKs or NACKs each; replies carrying a stale nonce
/// are ignored. Stats reports are kept as the node's latest. Runtime override sets (RuntimeUpdate) follow the snapshot
/// and are answered RuntimeAck/RuntimeNack. The stream ends when the node hangs up, when a newer
/// stream of the same node replaces it (ABORTED), or at shutdown (UNAVAILABLE).
/// </summary>
internal sealed class NodeStreamHandler(
    FleetRegistry fleet,
    Runtime.RuntimeOverrideService runtime,
    IHostApplicationLifetime lifetime,
    ILogger<NodeStreamHandler> logger)
{
    /// <summary>Runs one node stream until it ends.</summary>
    public async Task HandleAsync(IAsyncStreamReader<NodeMessage> requests, IServerStreamWriter<ControlMessage> responses, ServerCallContext context)
    {
        var callToken = context.CancellationToken;
        var hello = await ReadHelloAsync(requests, callToken);
        var session = await fleet.ConnectAsync(hello, context.Peer);
        await runtime.AttachAsync(session, CancellationToken.None);
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(callToken, session.Closed, lifetime.ApplicationStopping);
        var sending = SendLoopAsync(session, responses, stream);
        try
        {
            while (await requests.MoveNext(stream.Token))
            {
                await OnMessageAsync(session, requests.Current, stream.Token);
            }
        }
        catch (OperationCanceledException) when (session.Closed.IsCancellationRequested)
        {
            throw new RpcException(session.CloseStatus);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "the control plane is shutting down"));
        }
        finally
        {
            await stream.CancelAsync();
            await sending;
            runtime.Detach(session);
            await fleet.DisconnectAsync(session);
        }
    }

    private static async Task<Hello> ReadHelloAsync(IAsyncStreamReader<NodeMessage> requests, CancellationToken cancellationToken)
    {
        if (!await requests.MoveNext(cancellationToken))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "the stream ended before Hello"));
        }

        var first = requests.Current;
        if (first.KindCase != NodeMessage.KindOneofCase.Hello)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"the first message must be Hello (got {first.KindCase})"));
        }

        if (string.IsNullOrWhiteSpace(first.Hello.NodeId))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "Hello.node_id must not be empty"));
        }

        return first.Hello;
    }

    private async Task OnMessageAsync(NodeSession session, NodeMessage message, CancellationToken cancellationToken)
    {
        switch (message.KindCase)
        {
            case NodeMessage.KindOneofCase.Ack:
                await fleet.AckAsync(session, message.Ack, cancellationToken);
                break;
            case NodeMessage.KindOneofCase.Nack:
                await fleet.NackAsync(session, message.Nack, cancellationToken);
                break;
            case NodeMessage.KindOneofCase.Stats:
                await fleet.StatsAsync(session, message.Stats, cancellationToken);
                break;
            case NodeMessage.KindOneofCase.RuntimeAck:
                runtime.OnAck(session, message.RuntimeAck);
                fleet.Touch(session);
                break;
            case NodeMessage.KindOneofCase.RuntimeNack:
                runtime.OnNack(session, message.RuntimeNack);
                fleet.Touch(session);
                break;
            default:
                logger.LogWarning("Node {NodeId}: ignoring unexpected {Kind} message", session.NodeId, message.KindCase);
                fleet.Touch(session);
                break;
        }
    }

    private async Task SendLoopAsync(NodeSession session, IServerStreamWriter<ControlMessage> responses, CancellationTokenSource stream)
    {
        try
        {
            while (true)
            {
                // A pending snapshot goes first, so a (re)connecting node gets its runtime overrides after it.
                if (!session.Outbox.TryRead(out var snapshot))
                {
                    if (session.RuntimeOutbox.TryRead(out var runtimeState))
                    {
                        await responses.WriteAsync(runtime.BeginSend(session, runtimeState), stream.Token);
                        logger.LogInformation("Sent runtime revision {Revision} to node {NodeId}", runtimeState.Revision, session.NodeId);
                        continue;
                    }

                    var snapshotReady = session.Outbox.WaitToReadAsync(stream.Token).AsTask();
                    var runtimeReady = session.RuntimeOutbox.WaitToReadAsync(stream.Token).AsTask();
                    await Task.WhenAny(snapshotReady, runtimeReady);
                    var ended = (snapshotReady.IsCompletedSuccessfully && !snapshotReady.Result)
                        || (runtimeReady.IsCompletedSuccessfully && !runtimeReady.Result);
                    if (ended && !session.Outbox.TryPeek(out _) && !session.RuntimeOutbox.TryPeek(out _))
                    {
                        break; // the stream ended
                    }

                    stream.Token.ThrowIfCancellationRequested();
                    continue;
                }

                if (snapshot.Version <= session.SentVersion)
                {
                    continue;
                }

                var nonce = session.BeginSend(snapshot.Version);
                var message = new ControlMessage
                {
                    Snapshot = new Snapshot { Version = (ulong)snapshot.Version, Nonce = nonce, Config = snapshot.Config },
                };
                await responses.WriteAsync(message, stream.Token);
                logger.LogInformation("Sent version {Version} to node {NodeId} (nonce {Nonce})", snapshot.Version, session.NodeId, nonce);
            }
        }
        catch (OperationCanceledException) when (stream.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not send to node {NodeId}; closing its stream", session.NodeId);
            await stream.CancelAsync();
        }
    }
}
