using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Ballast.DataPlane.Proxy;

/// <summary>
/// Socket transport settings of the proxy binds, chosen by measurement with <c>deploy/bench.sh</c> (see
/// <c>deploy/BENCHMARKS.md</c>). Kept apart from <see cref="BindListener"/> so tuning does not touch the bind logic.
/// </summary>
internal static class ListenerTuning
{
    /// <summary>
    /// The transport options of a bind. <see cref="SocketTransportOptions.WaitForDataBeforeAllocatingBuffer"/> is
    /// off: a keep-alive connection then reads straight into a pooled buffer instead of a zero-byte read followed
    /// by a second read (one receive system call less per request, one 4 KiB pooled block held per idle connection).
    /// </summary>
    public static SocketTransportOptions CreateTransportOptions() => new()
    {
        WaitForDataBeforeAllocatingBuffer = false,
    };
}
