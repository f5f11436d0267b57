namespace Ballast.HaproxyConfig.Units;

/// <summary>The unit of a bare number in a time value: each keyword's reference in HAProxy's manual names it (section 2.5).</summary>
public enum TimeUnit
{
    /// <summary>Milliseconds: timeouts, <c>inter</c>, <c>fastinter</c>, <c>downinter</c>.</summary>
    Milliseconds,

    /// <summary>Seconds (e.g. <c>stats refresh</c>).</summary>
    Seconds,
}
