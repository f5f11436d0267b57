using System.Diagnostics;
using Ballast.DataPlane.Config;
using Ballast.DataPlane.Logging;

namespace Ballast.DataPlane.Stats;

/// <summary>
/// HAProxy's timers of one request (mode http) or connection (mode tcp), from a <see cref="StreamLog"/>, in ms:
/// <c>Tw</c> waiting for a server slot (balancing and queue), <c>Tc</c> connecting (retries included; 0 on a pooled
/// connection), <c>Tr</c> waiting for the response headers once connected, <c>Ta</c> the whole request (tcp:
/// <c>Tt</c>, the whole connection). -1 marks a phase never reached, as in HAProxy's logs.
/// </summary>
/// <param name="Queue">Tw.</param>
/// <param name="Connect">Tc.</param>
/// <param name="Response">Tr.</param>
/// <param name="Total">Ta (http) or Tt (tcp).</param>
internal readonly record struct RequestTimes(long Queue, long Connect, long Response, long Total)
{
    /// <summary>Computes the timers of <paramref name="log"/> ending now.</summary>
    /// <param name="log">The stream's timestamps.</param>
    /// <param name="tcp">Mode tcp: Tr is 0 once connected and the total starts at the accept.</param>
    public static RequestTimes From(StreamLog log, bool tcp)
    {
        var now = Stopwatch.GetTimestamp();
        var start = tcp ? log.AcceptTimestamp : log.RequestTimestamp;
        var queue = StreamLog.Ms(start, log.FirstSendTimestamp);
        var connectTicks = log.ConnectTicks;
        long connect = -1;
        long response = -1;
        if (log.HeadersTimestamp != 0)
        {
            connect = StreamLog.Ms(log.FirstSendTimestamp, log.LastSendTimestamp) + (long)Stopwatch.GetElapsedTime(0, connectTicks).TotalMilliseconds;
            response = tcp ? 0 : Math.Max(0, StreamLog.Ms(log.LastSendTimestamp, log.HeadersTimestamp) - (long)Stopwatch.GetElapsedTime(0, connectTicks).TotalMilliseconds);
        }

        return new RequestTimes(queue, connect, response, StreamLog.Ms(start, now));
    }

    /// <summary>
    /// Adds the timers to the backend's and server's averages when the server answered (HAProxy skips streams that
    /// never connected: <c>t_connect &lt; 0 || t_data &lt; 0</c>).
    /// </summary>
    /// <param name="backend">The backend.</param>
    /// <param name="server">The server, if one was reached.</param>
    public void AddTo(BackendRuntime backend, ServerRuntime? server)
    {
        if (Connect < 0 || Response < 0)
        {
            return;
        }

        backend.State.Counters.AddTimes(Queue, Connect, Response, Total);
        server?.State.Counters.AddTimes(Queue, Connect, Response, Total);
    }
}
