using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Agent;

/// <summary>Opens <c>ballast.v1.NodeService/Connect</c> streams to the control plane.</summary>
internal interface IControlPlaneConnector
{
    /// <summary>Starts a Connect call; it fails later (on use) if the control plane is unreachable.</summary>
    /// <param name="cancellationToken">Cancels the whole call.</param>
    /// <returns>The stream; dispose it to end the call.</returns>
    IControlPlaneSession Connect(CancellationToken cancellationToken);
}

/// <summary>One Connect stream: the node writes <see cref="V1.NodeMessage"/>s and reads <see cref="V1.ControlMessage"/>s.</summary>
internal interface IControlPlaneSession : IDisposable
{
    /// <summary>Completes when the control plane accepted the stream (its response headers arrived).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    Task WaitAcceptedAsync(CancellationToken cancellationToken);

    /// <summary>Writes one message; one write at a time.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task WriteAsync(V1.NodeMessage message, CancellationToken cancellationToken);

    /// <summary>Reads the next message into <see cref="Current"/>; false when the control plane ended the stream.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<bool> MoveNextAsync(CancellationToken cancellationToken);

    /// <summary>The message read by the last successful <see cref="MoveNextAsync"/>.</summary>
    V1.ControlMessage Current { get; }
}
