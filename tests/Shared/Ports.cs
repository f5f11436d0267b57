using System.Net;
using System.Net.Sockets;

namespace Ballast.Tests.Shared;

/// <summary>
/// Free TCP ports on 127.0.0.1 for tests, taken below Linux's ephemeral range so that an outgoing connection (which
/// takes its source port from that range) cannot grab a port between the test choosing it and a server binding it.
/// Shared by the data-plane and integration test projects (linked into each).
/// </summary>
public static class Ports
{
    private const int First = 20000;
    private const int Last = 32000; // below Linux's ephemeral range (32768-60999), where outgoing connections collide
    private static readonly object Gate = new();
    private static readonly HashSet<int> HandedOut = [];
    private static int s_next = First + Random.Shared.Next(Last - First);

    /// <summary>
    /// A port that was free on 127.0.0.1 a moment ago, below the ephemeral range and never handed out before by
    /// this process (so ports of one test never collide with each other or with outgoing connections).
    /// </summary>
    public static int GetFreePort()
    {
        lock (Gate)
        {
            for (var attempt = 0; attempt < Last - First; attempt++)
            {
                var port = s_next;
                s_next = s_next + 1 >= Last ? First : s_next + 1;
                if (HandedOut.Contains(port) || !IsFree(port))
                {
                    continue;
                }

                HandedOut.Add(port);
                return port;
            }
        }

        throw new InvalidOperationException("no free port left");
    }

    /// <summary>A port nobody listens on (bound then released).</summary>
    public static int GetClosedPort() => GetFreePort();

    private static bool IsFree(int port)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
