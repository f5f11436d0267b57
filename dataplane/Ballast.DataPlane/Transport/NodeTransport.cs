using Microsoft.Extensions.Logging;

namespace Ballast.DataPlane.Transport;

/// <summary>
/// Node-wide transport choice: <see cref="EpollTransport"/> (the default where <see cref="EpollTransport.IsSupported"/>)
/// or Kestrel's socket transport. Set with the environment variable <c>BALLAST_TRANSPORT=epoll|sockets</c>.
/// </summary>
/// <param name="UseEpoll">Whether the node runs its own epoll transport.</param>
internal sealed record TransportSettings(bool UseEpoll)
{
    /// <summary>Reads <see cref="EpollTransport.Variable"/>: epoll where supported, unless it says <c>sockets</c>.</summary>
    public static TransportSettings FromEnvironment() => new(EpollTransport.IsSupported);
}

/// <summary>
/// The node's transport (a container singleton, disposed after the binds and the server pool that use it):
/// <see cref="EpollTransport"/> with <see cref="NodeRuntimeTuning.EventLoops"/> loops when
/// <see cref="TransportSettings.UseEpoll"/>, otherwise none (Kestrel's socket transport).
/// </summary>
internal sealed class NodeTransport : IDisposable
{
    /// <summary>Starts the epoll transport when chosen.</summary>
    /// <param name="settings">The choice.</param>
    /// <param name="loggerFactory">Loggers of the event loops.</param>
    /// <param name="timeProvider">Clock of the transport's linger time.</param>
    public NodeTransport(TransportSettings settings, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        Epoll = settings.UseEpoll
            ? new EpollTransport(NodeRuntimeTuning.EventLoops, loggerFactory) { TimeProvider = timeProvider }
            : null;
    }

    /// <summary>The epoll transport, or null for Kestrel's socket transport.</summary>
    public EpollTransport? Epoll { get; }

    /// <inheritdoc />
    public void Dispose() => Epoll?.Dispose();
}
