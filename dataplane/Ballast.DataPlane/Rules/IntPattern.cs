namespace Ballast.DataPlane.Rules;

/// <summary>An integer ACL pattern: an inclusive range, as HAProxy's <c>eq|ge|gt|le|lt &lt;n&gt;</c>, <c>n</c> and <c>a:b</c>.</summary>
/// <param name="Min">Smallest matching value.</param>
/// <param name="Max">Largest matching value.</param>
internal readonly record struct IntPattern(long Min, long Max)
{
    /// <summary>Whether <paramref name="value"/> matches.</summary>
    /// <param name="value">The sample.</param>
    public bool Matches(long value) => value >= Min && value <= Max;
}
