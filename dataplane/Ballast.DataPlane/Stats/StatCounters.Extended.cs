namespace Ballast.DataPlane.Stats;

/// <summary>
/// The rest of HAProxy's <c>show stat</c> counters: timing averages (<c>qtime</c>, <c>ctime</c>, <c>rtime</c>,
/// <c>ttime</c>), denials (<c>dreq</c>, <c>dresp</c>), aborts (<c>cli_abrt</c>, <c>srv_abrt</c>), <c>lbtot</c>,
/// <c>downtime</c> and dropped access-log lines.
/// </summary>
internal sealed partial class StatCounters
{
    private uint _qtimeSum;
    private uint _ctimeSum;
    private uint _rtimeSum;
    private uint _ttimeSum;
    private long _timedSamples;
    private long _dreq;
    private long _dresp;
    private long _cliAbrt;
    private long _srvAbrt;
    private long _lbtot;
    private long _droppedLogs;
    private long _downtimeMs;
    private long _downSinceUnixMs = -1;

    /// <summary>Average queue wait (HAProxy <c>qtime</c>, Tw), ms, over the sliding window.</summary>
    public long Qtime => SlidingWindowAverage.Average(Volatile.Read(ref _qtimeSum), TimedSamples);

    /// <summary>Average server connect time (HAProxy <c>ctime</c>, Tc; 0 on a reused connection), ms.</summary>
    public long Ctime => SlidingWindowAverage.Average(Volatile.Read(ref _ctimeSum), TimedSamples);

    /// <summary>Average wait for the response headers after the connect (HAProxy <c>rtime</c>, Tr; mode tcp: 0), ms.</summary>
    public long Rtime => SlidingWindowAverage.Average(Volatile.Read(ref _rtimeSum), TimedSamples);

    /// <summary>Average total time of a request (http) or connection (tcp) (HAProxy <c>ttime</c>, Ta/Tt), ms.</summary>
    public long Ttime => SlidingWindowAverage.Average(Volatile.Read(ref _ttimeSum), TimedSamples);

    /// <summary>Requests or connections that reached a server and were timed.</summary>
    public long TimedSamples => Volatile.Read(ref _timedSamples);

    /// <summary>Requests denied (<c>dreq</c>).</summary>
    public long Dreq => Volatile.Read(ref _dreq);

    /// <summary>Responses denied (<c>dresp</c>).</summary>
    public long Dresp => Volatile.Read(ref _dresp);

    /// <summary>Transfers aborted by the client (<c>cli_abrt</c>).</summary>
    public long CliAbrt => Volatile.Read(ref _cliAbrt);

    /// <summary>Transfers aborted by the server (<c>srv_abrt</c>).</summary>
    public long SrvAbrt => Volatile.Read(ref _srvAbrt);

    /// <summary>Times picked by the load balancer (<c>lbtot</c>).</summary>
    public long Lbtot => Volatile.Read(ref _lbtot);

    /// <summary>Access-log lines dropped because a log queue was full.</summary>
    public long DroppedLogs => Volatile.Read(ref _droppedLogs);

    /// <summary>
    /// Adds one timed request or connection, as HAProxy's <c>stream_update_time_stats</c>: each duration goes into
    /// its sliding-window average; the window is 0 (plain sum) until <see cref="SlidingWindowAverage.Samples"/>
    /// samples were taken. Negative durations count as 0.
    /// </summary>
    /// <param name="queueMs">Tw: wait for a server slot.</param>
    /// <param name="connectMs">Tc: connect to the server (0 on a reused connection).</param>
    /// <param name="responseMs">Tr: wait for the response headers once connected (mode tcp: 0).</param>
    /// <param name="totalMs">Ta (http: the request's whole life) or Tt (tcp: the connection's).</param>
    public void AddTimes(long queueMs, long connectMs, long responseMs, long totalMs)
    {
        var window = Volatile.Read(ref _timedSamples) >= SlidingWindowAverage.Samples ? SlidingWindowAverage.Samples : 0u;
        SlidingWindowAverage.Add(ref _qtimeSum, window, Clamp(queueMs));
        SlidingWindowAverage.Add(ref _ctimeSum, window, Clamp(connectMs));
        SlidingWindowAverage.Add(ref _rtimeSum, window, Clamp(responseMs));
        SlidingWindowAverage.Add(ref _ttimeSum, window, Clamp(totalMs));
        Interlocked.Increment(ref _timedSamples);
    }

    /// <summary>Counts a denied request (<c>dreq</c>), e.g. <c>http-request deny</c>.</summary>
    public void CountDeniedRequest() => Interlocked.Increment(ref _dreq);

    /// <summary>Counts a denied response (<c>dresp</c>), e.g. <c>http-response deny</c>.</summary>
    public void CountDeniedResponse() => Interlocked.Increment(ref _dresp);

    /// <summary>Counts a transfer aborted by the client (<c>cli_abrt</c>).</summary>
    public void CountClientAbort() => Interlocked.Increment(ref _cliAbrt);

    /// <summary>Counts a transfer aborted by the server (<c>srv_abrt</c>).</summary>
    public void CountServerAbort() => Interlocked.Increment(ref _srvAbrt);

    /// <summary>Counts a pick by the load balancer (<c>lbtot</c>).</summary>
    public void CountLoadBalanced() => Interlocked.Increment(ref _lbtot);

    /// <summary>Counts an access-log line dropped because the log queue was full.</summary>
    public void CountDroppedLog() => Interlocked.Increment(ref _droppedLogs);

    /// <summary>
    /// Tracks DOWN periods for <c>downtime</c> (called once per second by the sampler): entering DOWN starts a period
    /// at <paramref name="changedUnixMs"/> (the transition time when known), leaving it adds the period to the total.
    /// </summary>
    /// <param name="isDown">Whether the object is DOWN now.</param>
    /// <param name="nowUnixMs">Current time.</param>
    /// <param name="changedUnixMs">Time of the last status change, or <paramref name="nowUnixMs"/>.</param>
    public void ObserveDown(bool isDown, long nowUnixMs, long changedUnixMs)
    {
        var since = Volatile.Read(ref _downSinceUnixMs);
        if (isDown && since < 0)
        {
            Volatile.Write(ref _downSinceUnixMs, Math.Min(changedUnixMs, nowUnixMs));
        }
        else if (!isDown && since >= 0)
        {
            Interlocked.Add(ref _downtimeMs, Math.Max(0, Math.Min(changedUnixMs, nowUnixMs) - since));
            Volatile.Write(ref _downSinceUnixMs, -1);
        }
    }

    /// <summary>Total seconds DOWN so far, the current DOWN period included (HAProxy <c>downtime</c>).</summary>
    /// <param name="nowUnixMs">Current time.</param>
    public long DowntimeSeconds(long nowUnixMs)
    {
        var since = Volatile.Read(ref _downSinceUnixMs);
        var total = Volatile.Read(ref _downtimeMs) + (since >= 0 ? Math.Max(0, nowUnixMs - since) : 0);
        return total / 1000;
    }

    private static uint Clamp(long ms) => ms <= 0 ? 0u : ms >= uint.MaxValue / 1024 ? uint.MaxValue / 1024 : (uint)ms;
}
