using System.Net;
using System.Net.Sockets;

namespace Ballast.IntegrationTests.Infrastructure;

/// <summary>Free TCP ports on 127.0.0.1: bind port 0, read the port the kernel chose, release it.</summary>
internal static class FreePort
{
    private static readonly HashSet<int> Handed = [];

    /// <summary>A port that was free a moment ago and was not handed out before in this test run.</summary>
    public static int Next()
    {
        lock (Handed)
        {
            for (var attempt = 0; attempt < 50; attempt++)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
                if (Handed.Add(port))
                {
                    return port;
                }
            }

            throw new InvalidOperationException("no free loopback port found");
        }
    }
}
