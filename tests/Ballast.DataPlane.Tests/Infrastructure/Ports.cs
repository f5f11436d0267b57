using System.Net;
using System.Net.Sockets;

namespace Ballast.DataPlane.Tests.Infrastructure;

public static class Ports
{
    /// <summary>A port that was free on 127.0.0.1 a moment ago (the OS picks it).</summary>
    public static int GetFreePort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    /// <summary>A port nobody listens on (bound then released).</summary>
    public static int GetClosedPort() => GetFreePort();
}
