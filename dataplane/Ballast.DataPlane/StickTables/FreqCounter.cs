namespace Ballast.DataPlane.StickTables;

/// <summary>
/// A sliding-window event rate over one period, as HAProxy's <c>freq_ctr</c> (<c>freq_ctr.c</c>): events of the
/// current period plus those of the previous one weighted by the part of the previous period still inside the
/// window (<c>curr + prev * (period - elapsed) / period</c>). Not thread-safe: the owning entry locks.
/// </summary>
internal struct FreqCounter
{
    private long _periodStart;
    private long _current;
    private long _previous;

    /// <summary>Counts <paramref name="events"/> at <paramref name="now"/>.</summary>
    /// <param name="now">Milliseconds on the table's clock.</param>
    /// <param name="period">Period in ms.</param>
    /// <param name="events">Events to add.</param>
    public void Add(long now, long period, long events = 1)
    {
        Rotate(now, period);
        _current += events;
    }

    /// <summary>The rate over the last <paramref name="period"/> ms, as HAProxy's <c>read_freq_ctr_period()</c>.</summary>
    /// <param name="now">Milliseconds on the table's clock.</param>
    /// <param name="period">Period in ms.</param>
    public long Read(long now, long period)
    {
        Rotate(now, period);
        var elapsed = now - _periodStart;
        return _current + (_previous * (period - elapsed) / period);
    }

    private void Rotate(long now, long period)
    {
        var elapsed = now - _periodStart;
        if (elapsed < period)
        {
            return;
        }

        if (elapsed < 2 * period)
        {
            _previous = _current;
            _periodStart += period;
        }
        else
        {
            _previous = 0;
            _periodStart = now - (elapsed % period);
        }

        _current = 0;
    }
}
