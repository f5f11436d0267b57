using System.Diagnostics;
using System.Net.Http;

namespace Ballast.DataPlane.Logging;

/// <summary>
/// Timestamps and outcome of the request (mode http) or connection (mode tcp) in progress on one client connection,
/// as HAProxy's <c>struct stream</c> <c>logs</c> (accept date, <c>t_queue</c>, <c>t_connect</c>, <c>t_data</c>,
/// <c>t_close</c>): what the timing averages and the access-log line are computed from. One instance per client
/// connection (set as a connection feature), reset by each request: HTTP/1.1 serves a connection's requests one at
/// a time, so no synchronization is needed. Timestamps are <see cref="Stopwatch.GetTimestamp"/> ticks, 0 = not reached.
/// </summary>
internal sealed class StreamLog
{
    private readonly TimeProvider _time;

    // Receive timers (HAProxy Ti, TR), in _time timestamps: when idling started (end of the handshakes, then the end of
    // each request), when the first byte of the current request arrived (0 = not yet), and whether the next byte read
    // is that first byte (set until it arrives, re-set by EndRequest).
    private long _idleSince;
    private long _firstByte;
    private int _waitingFirstByte = 1;

    /// <summary>Creates the log of a connection accepted now.</summary>
    /// <param name="acceptTime">Wall-clock accept time (HAProxy <c>%t</c>).</param>
    /// <param name="time">Clock of the receive timers (Ti, TR); null = <see cref="TimeProvider.System"/>.</param>
    public StreamLog(DateTimeOffset acceptTime, TimeProvider? time = null)
    {
        AcceptTime = acceptTime;
        AcceptTimestamp = Stopwatch.GetTimestamp();
        RequestTimestamp = AcceptTimestamp;
        _time = time ?? TimeProvider.System;
        _idleSince = _time.GetTimestamp();
    }

    /// <summary>
    /// HAProxy <c>TR</c> of the current request: from its first byte received to the end of its headers; zero when the
    /// first byte was not seen (a connection whose reads are not counted, or HTTP/2 where requests overlap).
    /// </summary>
    public TimeSpan ReceiveTime { get; private set; }

    /// <summary>
    /// HAProxy <c>Ti</c> of the current request: from the end of the handshakes (first request) or the end of the
    /// previous request (keep-alive) to its first byte; zero when the first byte was not seen.
    /// </summary>
    public TimeSpan IdleTime { get; private set; }

    /// <summary>
    /// Called by the connection's reader (<c>ConnectionByteCounter</c>) when bytes arrive: the first call after the
    /// previous request ended (or after the handshakes) is the first byte of the next request.
    /// </summary>
    public void MarkBytesReceived()
    {
        if (Volatile.Read(ref _waitingFirstByte) == 1 && Interlocked.Exchange(ref _waitingFirstByte, 0) == 1)
        {
            Volatile.Write(ref _firstByte, _time.GetTimestamp());
        }
    }

    /// <summary>
    /// Ends the current request (its response is complete): idling starts, and the next bytes read are the first of
    /// the next request (HAProxy: Ti of a keep-alive request counts from the end of the previous response).
    /// </summary>
    public void EndRequest()
    {
        Volatile.Write(ref _idleSince, _time.GetTimestamp());
        Volatile.Write(ref _firstByte, 0);
        Volatile.Write(ref _waitingFirstByte, 1);
    }

    /// <summary>Wall-clock time the connection was accepted.</summary>
    public DateTimeOffset AcceptTime { get; }

    /// <summary>When the connection was accepted.</summary>
    public long AcceptTimestamp { get; }

    /// <summary>When the current request's headers had been received (mode http) or the accept (mode tcp).</summary>
    public long RequestTimestamp { get; private set; }

    /// <summary>When the first attempt to send the request to a server started (after balancing and queueing).</summary>
    public long FirstSendTimestamp { get; private set; }

    /// <summary>When the last attempt started (the one that reached the server, or failed last).</summary>
    public long LastSendTimestamp { get; private set; }

    /// <summary>When the response headers were received (mode tcp: when the connect succeeded).</summary>
    public long HeadersTimestamp { get; set; }

    /// <summary>Time spent opening the server connection of the last attempt, in ticks; 0 on a reused connection.</summary>
    public long ConnectTicks { get; set; }

    /// <summary>Attempts made to reach a server (the first one and retries).</summary>
    public int Attempts { get; set; }

    /// <summary>Termination state set by the proxy when it knows better than the log (e.g. <c>sQ</c>), else null.</summary>
    public string? Termination { get; set; }

    /// <summary>Request header values captured for <c>%hr</c> (<c>capture request header</c>), or null.</summary>
    public string?[]? RequestCaptures { get; private set; }

    /// <summary>Response header values captured for <c>%hs</c> (<c>capture response header</c>), or null.</summary>
    public string?[]? ResponseCaptures { get; private set; }

    private HeaderCaptures? _responseCaptureSpec;

    /// <summary>
    /// Captures the request headers the frontend's <c>capture request header</c> lines name (as received, before any
    /// rule, as HAProxy's <c>http_wait_for_request</c>) and remembers its response captures for <see cref="MarkHeaders"/>.
    /// </summary>
    /// <param name="headers">The request headers.</param>
    /// <param name="settings">The frontend's log settings; null = nothing to capture.</param>
    public void CaptureRequest(Microsoft.AspNetCore.Http.IHeaderDictionary headers, AccessLogSettings? settings)
    {
        RequestCaptures = settings?.RequestCaptures?.Capture(headers);
        _responseCaptureSpec = settings?.ResponseCaptures;
        ResponseCaptures = _responseCaptureSpec is null ? null : new string?[_responseCaptureSpec.Count];
    }

    /// <summary>
    /// Wall-clock time of the current request's first byte (HAProxy <c>%tr</c>), derived from the accept time: the end
    /// of its headers less <see cref="ReceiveTime"/>.
    /// </summary>
    public DateTimeOffset RequestTime => AcceptTime + Stopwatch.GetElapsedTime(AcceptTimestamp, RequestTimestamp) - ReceiveTime;

    /// <summary>Starts the next request on the connection (mode http), once its headers are received.</summary>
    public void BeginRequest()
    {
        var now = _time.GetTimestamp();
        var firstByte = Volatile.Read(ref _firstByte);
        Volatile.Write(ref _waitingFirstByte, 0); // body bytes are not a request start
        Volatile.Write(ref _firstByte, 0);
        var measured = firstByte != 0 && firstByte <= now;
        ReceiveTime = measured ? _time.GetElapsedTime(firstByte, now) : TimeSpan.Zero;
        IdleTime = measured && Volatile.Read(ref _idleSince) is var idle && idle <= firstByte ? _time.GetElapsedTime(idle, firstByte) : TimeSpan.Zero;
        RequestTimestamp = Stopwatch.GetTimestamp();
        FirstSendTimestamp = 0;
        LastSendTimestamp = 0;
        HeadersTimestamp = 0;
        ConnectTicks = 0;
        Attempts = 0;
        Termination = null;
        RequestCaptures = null;
        ResponseCaptures = null;
        _responseCaptureSpec = null;
    }

    /// <summary>Records an attempt to send the request to a server.</summary>
    public void MarkSend()
    {
        var now = Stopwatch.GetTimestamp();
        if (FirstSendTimestamp == 0)
        {
            FirstSendTimestamp = now;
        }

        LastSendTimestamp = now;
        ConnectTicks = 0;
        HeadersTimestamp = 0;
        Attempts++;
    }

    /// <summary>
    /// The request option in which the shared client's connect callback leaves how long (ticks) it took to open the
    /// connection the request caused; absent on a pooled connection.
    /// </summary>
    public static readonly HttpRequestOptionsKey<long> ConnectTicksOption = new("ballast.connect-ticks");

    /// <summary>Records, from the connect callback, that <paramref name="request"/> opened a connection started at <paramref name="start"/>.</summary>
    /// <param name="request">The request that caused the connection.</param>
    /// <param name="start">When the connect started.</param>
    public static void RecordConnect(HttpRequestMessage request, long start) =>
        request.Options.Set(ConnectTicksOption, Stopwatch.GetTimestamp() - start);

    /// <summary>Records the response headers of an attempt (from the backend's transformer).</summary>
    /// <param name="response">The server's response; null when it did not answer.</param>
    public void MarkHeaders(HttpResponseMessage? response)
    {
        if (response is null)
        {
            return;
        }

        HeadersTimestamp = Stopwatch.GetTimestamp();
        if (_responseCaptureSpec is { } captures)
        {
            ResponseCaptures = captures.Capture(response);
        }

        if (response.RequestMessage is { } request && request.Options.TryGetValue(ConnectTicksOption, out var ticks))
        {
            ConnectTicks = ticks;
        }
    }

    /// <summary>Records that the connect of the last attempt succeeded (mode tcp: the end of Tc, Tr is 0).</summary>
    public void MarkConnected()
    {
        HeadersTimestamp = Stopwatch.GetTimestamp();
        ConnectTicks = LastSendTimestamp == 0 ? 0 : HeadersTimestamp - LastSendTimestamp;
    }

    /// <summary>
    /// HAProxy's termination state of a mode tcp session from the relay's abort reason (configuration.txt 8.5):
    /// <c>--</c> both sides closed normally, <c>cD</c>/<c>sD</c> client/server timeout, <c>CD</c>/<c>SD</c>
    /// client/server reset or abort during data.
    /// </summary>
    /// <param name="abortReason">The relay's abort reason, null when it ended normally.</param>
    public static string TcpTermination(string? abortReason) => abortReason switch
    {
        null => "--",
        "timeout client" => "cD",
        "timeout server" => "sD",
        _ when abortReason.StartsWith("server", StringComparison.Ordinal) => "SD",
        _ => "CD",
    };

    /// <summary>Milliseconds between two timestamps, -1 when either was not reached (HAProxy logs -1).</summary>
    /// <param name="from">Start.</param>
    /// <param name="to">End.</param>
    public static long Ms(long from, long to) =>
        from == 0 || to == 0 ? -1 : (long)Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
}
