using System.Net;
using System.Net.Sockets;

namespace Ballast.Proto.Tests.TestSupport;

/// <summary>Loopback ports for tests.</summary>
public static class FreePort
{
    /// <summary>A port nobody listens on: bound to 0, then released.</summary>
    public static int Closed()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>
    /// A free port below 32768 (outside the ephemeral range, so no client socket grabs it meanwhile) for peers
    /// that cannot report the port they bound.
    /// </summary>
    public static int BelowEphemeralRange()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(20000, 32000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                listener.Stop();
                return port;
            }
            catch (SocketException)
            {
                // In use: try another.
            }
        }

        throw new InvalidOperationException("No free port below 32768 found.");
    }
}
