namespace Ballast.DataPlane.Stats;

/// <summary>
/// Thread-safe traffic counters of one frontend, backend or server, named as HAProxy's <c>show stat</c> fields
/// (management.txt section 9.1). Updated with <see cref="Interlocked"/> on the request path; an instance is kept
/// across snapshot swaps while its object is unchanged, so counters survive reconfiguration.
/// </summary>
internal sealed partial class StatCounters
{
    private long _scur;
    private long _smax;
    private long _stot;
    private long _bin;
    private long _bout;
    private long _ereq;
    private long _econ;
    private long _eresp;
    private long _wretr;
    private long _wredis;
    private long _reqTot;
    private long _hrsp1xx;
    private long _hrsp2xx;
    private long _hrsp3xx;
    private long _hrsp4xx;
    private long _hrsp5xx;
    private long _hrspOther;
    private long _rate;
    private long _rateMax;
    private long _stotAtLastSample;

    /// <summary>Current sessions (frontend: connections; backend/server: requests in flight).</summary>
    public long Scur => Volatile.Read(ref _scur);

    /// <summary>Highest <see cref="Scur"/> seen.</summary>
    public long Smax => Volatile.Read(ref _smax);

    /// <summary>Cumulative sessions.</summary>
    public long Stot => Volatile.Read(ref _stot);

    /// <summary>Bytes received from clients.</summary>
    public long Bin => Volatile.Read(ref _bin);

    /// <summary>Bytes sent to clients.</summary>
    public long Bout => Volatile.Read(ref _bout);

    /// <summary>Request errors.</summary>
    public long Ereq => Volatile.Read(ref _ereq);

    /// <summary>Errors connecting to a server.</summary>
    public long Econ => Volatile.Read(ref _econ);

    /// <summary>Response errors.</summary>
    public long Eresp => Volatile.Read(ref _eresp);

    /// <summary>Connection retries.</summary>
    public long Wretr => Volatile.Read(ref _wretr);

    /// <summary>Redispatches to another server.</summary>
    public long Wredis => Volatile.Read(ref _wredis);

    /// <summary>HTTP requests.</summary>
    public long ReqTot => Volatile.Read(ref _reqTot);

    /// <summary>HTTP responses 1xx.</summary>
    public long Hrsp1xx => Volatile.Read(ref _hrsp1xx);

    /// <summary>HTTP responses 2xx.</summary>
    public long Hrsp2xx => Volatile.Read(ref _hrsp2xx);

    /// <summary>HTTP responses 3xx.</summary>
    public long Hrsp3xx => Volatile.Read(ref _hrsp3xx);

    /// <summary>HTTP responses 4xx.</summary>
    public long Hrsp4xx => Volatile.Read(ref _hrsp4xx);

    /// <summary>HTTP responses 5xx.</summary>
    public long Hrsp5xx => Volatile.Read(ref _hrsp5xx);

    /// <summary>HTTP responses with another status.</summary>
    public long HrspOther => Volatile.Read(ref _hrspOther);

    /// <summary>Sessions during the last sampled second.</summary>
    public long Rate => Volatile.Read(ref _rate);

    /// <summary>Highest <see cref="Rate"/> seen.</summary>
    public long RateMax => Volatile.Read(ref _rateMax);

    /// <summary>Starts a session: <c>scur</c>+1, <c>smax</c>, <c>stot</c>+1.</summary>
    public void OpenSession()
    {
        Interlocked.Increment(ref _stot);
        RaiseMax(ref _smax, Interlocked.Increment(ref _scur));
    }

    /// <summary>
    /// Starts a session only while <c>scur</c> is below <paramref name="limit"/> (as HAProxy server <c>maxconn</c>);
    /// a limit of 0 or less means unlimited.
    /// </summary>
    /// <param name="limit">The concurrency limit.</param>
    /// <returns>False when the limit is reached.</returns>
    public bool TryOpenSession(int limit)
    {
        if (limit <= 0)
        {
            OpenSession();
            return true;
        }

        var current = Volatile.Read(ref _scur);
        while (true)
        {
            if (current >= limit)
            {
                return false;
            }

            var seen = Interlocked.CompareExchange(ref _scur, current + 1, current);
            if (seen == current)
            {
                Interlocked.Increment(ref _stot);
                RaiseMax(ref _smax, current + 1);
                return true;
            }

            current = seen;
        }
    }

    /// <summary>Counts a session that takes over a slot without releasing it (a queued request served): <c>stot</c>+1.</summary>
    public void CountSession() => Interlocked.Increment(ref _stot);

    /// <summary>Ends a session: <c>scur</c>-1.</summary>
    public void CloseSession() => Interlocked.Decrement(ref _scur);

    /// <summary>Counts one HTTP request (<c>req_tot</c>).</summary>
    public void CountRequest() => Interlocked.Increment(ref _reqTot);

    /// <summary>Counts one HTTP response in its <c>hrsp_*</c> class.</summary>
    /// <param name="statusCode">The status code sent to the client.</param>
    public void CountResponse(int statusCode)
    {
        switch (statusCode / 100)
        {
            case 1: Interlocked.Increment(ref _hrsp1xx); break;
            case 2: Interlocked.Increment(ref _hrsp2xx); break;
            case 3: Interlocked.Increment(ref _hrsp3xx); break;
            case 4: Interlocked.Increment(ref _hrsp4xx); break;
            case 5: Interlocked.Increment(ref _hrsp5xx); break;
            default: Interlocked.Increment(ref _hrspOther); break;
        }
    }

    /// <summary>Adds transferred bytes (<c>bin</c>, <c>bout</c>).</summary>
    /// <param name="bytesIn">Bytes received from the client.</param>
    /// <param name="bytesOut">Bytes sent to the client.</param>
    public void AddBytes(long bytesIn, long bytesOut)
    {
        if (bytesIn != 0)
        {
            Interlocked.Add(ref _bin, bytesIn);
        }

        if (bytesOut != 0)
        {
            Interlocked.Add(ref _bout, bytesOut);
        }
    }

    /// <summary>Counts a request error (<c>ereq</c>).</summary>
    public void CountRequestError() => Interlocked.Increment(ref _ereq);

    /// <summary>Counts a connection error (<c>econ</c>).</summary>
    public void CountConnectionError() => Interlocked.Increment(ref _econ);

    /// <summary>Counts a response error (<c>eresp</c>).</summary>
    public void CountResponseError() => Interlocked.Increment(ref _eresp);

    /// <summary>Counts a connection retry (<c>wretr</c>).</summary>
    public void CountRetry() => Interlocked.Increment(ref _wretr);

    /// <summary>Counts a redispatch (<c>wredis</c>).</summary>
    public void CountRedispatch() => Interlocked.Increment(ref _wredis);

    /// <summary>
    /// Samples the session rate: called once per second by the stats sampler; <c>rate</c> becomes the sessions
    /// started since the previous sample, as HAProxy's per-second <c>rate</c>.
    /// </summary>
    public void SampleRate()
    {
        var total = Stot;
        var rate = total - _stotAtLastSample;
        _stotAtLastSample = total;
        Volatile.Write(ref _rate, rate);
        RaiseMax(ref _rateMax, rate);
    }

    private static void RaiseMax(ref long max, long value)
    {
        var current = Volatile.Read(ref max);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref max, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
