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
}
