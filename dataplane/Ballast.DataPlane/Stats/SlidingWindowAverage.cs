namespace Ballast.DataPlane.Stats;

/// <summary>
/// HAProxy's sliding-window averages (<c>include/haproxy/freq_ctr.h</c>, <c>swrate_add_dynamic</c> and
/// <c>swrate_avg</c>), used for the <c>qtime</c>, <c>ctime</c>, <c>rtime</c> and <c>ttime</c> stats: the sum
/// holds about <c>n</c> samples; each new sample removes one <c>n</c>-th of the sum (rounded up) and adds the value,
/// so older samples fade out geometrically. While fewer than <see cref="Samples"/> samples were taken the window is 0
/// (nothing removed) and the average divides by the sample count, so early averages are exact, as HAProxy's
/// <c>stream_update_time_stats</c> and <c>stats_fill_sv_stats</c> do.
/// </summary>
internal static class SlidingWindowAverage
{
    /// <summary>
    /// HAProxy's <c>TIME_STATS_SAMPLES</c> (512): the window of the averages, documented as "the last 1024 requests"
    /// because a geometric window of 512 weighs about 1024 samples.
    /// </summary>
    public const uint Samples = 512;

    /// <summary>Adds <paramref name="value"/> to <paramref name="sum"/> (lock-free, as HAProxy's CAS loop).</summary>
    /// <param name="sum">The window sum.</param>
    /// <param name="window">Samples of the window, 0 while it is not full yet.</param>
    /// <param name="value">The sample (ms).</param>
    public static void Add(ref uint sum, uint window, uint value)
    {
        var old = Volatile.Read(ref sum);
        while (true)
        {
            var updated = old - (window != 0 ? (uint)(((ulong)old + window - 1) / window) : 0u) + value;
            var seen = Interlocked.CompareExchange(ref sum, updated, old);
            if (seen == old)
            {
                return;
            }

            old = seen;
        }
    }

    /// <summary>The average of a window sum: <c>(sum + n - 1) / n</c>, 0 without samples (HAProxy <c>swrate_avg</c>).</summary>
    /// <param name="sum">The window sum.</param>
    /// <param name="samples">Samples taken so far (capped at <see cref="Samples"/>).</param>
    public static uint Average(uint sum, long samples)
    {
        var n = (uint)Math.Min(samples, Samples);
        return n == 0 ? 0 : (uint)(((ulong)sum + n - 1) / n);
    }
}
