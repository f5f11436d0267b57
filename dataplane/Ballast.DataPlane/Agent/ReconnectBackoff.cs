namespace Ballast.DataPlane.Agent;

/// <summary>
/// Exponential reconnect delays with jitter: the ceiling doubles from <c>initial</c> up to <c>max</c> on each
/// failure, and each delay is drawn uniformly from [ceiling/2, ceiling] so a fleet does not reconnect in step.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan initial, TimeSpan max, Random random)
{
    /// <summary>First ceiling (250 ms).</summary>
    public static readonly TimeSpan DefaultInitial = TimeSpan.FromMilliseconds(250);

    /// <summary>Largest ceiling (5 s).</summary>
    public static readonly TimeSpan DefaultMax = TimeSpan.FromSeconds(5);

    private int _failures;

    /// <summary>The next delay; each call counts one more failure.</summary>
    public TimeSpan Next()
    {
        var ceiling = initial.TotalMilliseconds * Math.Pow(2, Math.Min(_failures, 30));
        ceiling = Math.Min(ceiling, max.TotalMilliseconds);
        _failures++;
        return TimeSpan.FromMilliseconds((ceiling / 2) + (random.NextDouble() * ceiling / 2));
    }

    /// <summary>Starts over after a successful connection.</summary>
    public void Reset() => _failures = 0;
}
