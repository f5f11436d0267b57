using Microsoft.Extensions.Logging;

namespace Ballast.DataPlane.Transport;

/// <summary>
/// The node's choice of transport (a container singleton, disposed after the binds and the server pool that use
/// it): <see cref="EpollTransport"/> with <see cref="NodeRuntimeTuning.DefaultSocketThreads"/> loops where
/// <see cref="EpollTransport.IsSupported"/>, otherwise none (Kestrel's socket transport).
/// </summary>
internal sealed class NodeTransport : IDisposable
{
    /// <summary>Starts the epoll transport when supported.</summary>
    /// <param name="loggerFactory">Loggers of the event loops.</param>
    public NodeTransport(ILoggerFactory loggerFactory)
    {
        Epoll = EpollTransport.IsSupported ? new EpollTransport(NodeRuntimeTuning.DefaultSocketThreads, loggerFactory) : null;
    }

    /// <summary>The epoll transport, or null for Kestrel's socket transport.</summary>
    public EpollTransport? Epoll { get; }

    /// <inheritdoc />
    public void Dispose() => Epoll?.Dispose();
}
