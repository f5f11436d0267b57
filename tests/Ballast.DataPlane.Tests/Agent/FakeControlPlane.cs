using System.Threading.Channels;
using Ballast.DataPlane.Agent;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Agent;

/// <summary>An in-memory control plane: one session per Connect, messages through channels.</summary>
internal sealed class FakeControlPlane : IControlPlaneConnector
{
    private readonly Channel<FakeSession> _sessions = Channel.CreateUnbounded<FakeSession>();

    public IControlPlaneSession Connect(CancellationToken cancellationToken)
    {
        var session = new FakeSession();
        _sessions.Writer.TryWrite(session);
        return session;
    }

    public async Task<FakeSession> NextSessionAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _sessions.Reader.ReadAsync(timeout.Token);
    }
}

internal sealed class FakeSession : IControlPlaneSession
{
    private readonly Channel<V1.ControlMessage> _toNode = Channel.CreateUnbounded<V1.ControlMessage>();
    private readonly Channel<V1.NodeMessage> _fromNode = Channel.CreateUnbounded<V1.NodeMessage>();

    public V1.ControlMessage Current { get; private set; } = new();

    public bool Disposed { get; private set; }

    public Task WaitAcceptedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task WriteAsync(V1.NodeMessage message, CancellationToken cancellationToken)
    {
        _fromNode.Writer.TryWrite(message.Clone());
        return Task.CompletedTask;
    }

    public async Task<bool> MoveNextAsync(CancellationToken cancellationToken)
    {
        if (!await _toNode.Reader.WaitToReadAsync(cancellationToken))
        {
            return false;
        }

        Current = await _toNode.Reader.ReadAsync(cancellationToken);
        return true;
    }

    public void Send(V1.Snapshot snapshot) => _toNode.Writer.TryWrite(new V1.ControlMessage { Snapshot = snapshot });

    public void Send(V1.RuntimeUpdate update) => _toNode.Writer.TryWrite(new V1.ControlMessage { RuntimeUpdate = update });

    public void End() => _toNode.Writer.TryComplete();

    /// <summary>Next message from the node that is not a stats report.</summary>
    public async Task<V1.NodeMessage> ReceiveAsync(bool skipStats = true)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var message = await _fromNode.Reader.ReadAsync(timeout.Token);
            if (!skipStats || message.KindCase != V1.NodeMessage.KindOneofCase.Stats)
            {
                return message;
            }
        }
    }

    public void Dispose() => Disposed = true;
}
