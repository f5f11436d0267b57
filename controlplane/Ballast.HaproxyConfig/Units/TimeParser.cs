using System.Globalization;

namespace Ballast.HaproxyConfig.Units;

/// <summary>
/// Time values as HAProxy's manual defines them (section 2.5 "Time format"): a decimal number followed by an
/// optional unit among <c>us</c>, <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c> and <c>d</c>; without a unit the keyword's
/// default unit applies (milliseconds for timeouts and check intervals). As HAProxy's <c>parse_time_err()</c>,
/// results are rounded up to whole milliseconds, must stay below 2^31 ms (about 24.8 days), and a non-zero value
/// may not round down to zero.
/// </summary>
/// <remarks>HAProxy 2.6 only warns about characters after the unit; they are an error here.</remarks>
public static class TimeParser
{
    /// <summary>The largest value HAProxy accepts, in milliseconds (2^31 - 1).</summary>
    public const uint MaxMilliseconds = int.MaxValue;

    /// <summary>Parses <paramref name="text"/> into milliseconds; a bare number is in <paramref name="defaultUnit"/>.</summary>
    /// <param name="text">The value, e.g. <c>5s</c>, <c>1500</c>, <c>250us</c>.</param>
    /// <param name="defaultUnit">Unit of a bare number: <see cref="TimeUnit.Milliseconds"/> for timeouts.</param>
    /// <param name="milliseconds">The value in milliseconds, rounded up.</param>
    /// <param name="error">Why the value was refused, or null.</param>
    public static bool TryParse(string text, TimeUnit defaultUnit, out uint milliseconds, out string? error)
    {
        milliseconds = 0;
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        if (digits == 0)
        {
            error = $"'{text}' is not a time: it must start with a number";
            return false;
        }

        var unit = text[digits..];
        if (!TryUnitInMicroseconds(unit, defaultUnit, out var microsecondsPerUnit))
        {
            error = $"'{text}' has an unknown time unit '{unit}' (us, ms, s, m, h, d are supported)";
            return false;
        }

        // 2^31 ms is 2.1e12 us: any value above 2^63 us overflows long, and is far beyond the limit anyway.
        if (!ulong.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            || value > long.MaxValue / microsecondsPerUnit)
        {
            error = $"'{text}' is too large: timers are limited to {MaxMilliseconds} ms (about 24.8 days)";
            return false;
        }

        var result = (value * microsecondsPerUnit + 999) / 1000;
        if (result > MaxMilliseconds)
        {
            error = $"'{text}' is too large: timers are limited to {MaxMilliseconds} ms (about 24.8 days)";
            return false;
        }

        milliseconds = (uint)result;
        error = null;
        return true;
    }

    /// <summary>Formats milliseconds with the largest unit that keeps the value exact: <c>2s</c>, <c>1500ms</c>, <c>1m</c>.</summary>
    public static string Format(uint milliseconds)
    {
        (uint Size, string Suffix)[] units = [(86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1000, "s")];
        foreach (var (size, suffix) in units)
        {
            if (milliseconds != 0 && milliseconds % size == 0)
            {
                return (milliseconds / size).ToString(CultureInfo.InvariantCulture) + suffix;
            }
        }

        return milliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
    }

    private static bool TryUnitInMicroseconds(string unit, TimeUnit defaultUnit, out ulong microseconds)
    {
        microseconds = unit switch
        {
            "" => defaultUnit == TimeUnit.Seconds ? 1_000_000UL : 1000UL,
            "us" => 1,
            "ms" => 1000,
            "s" => 1_000_000,
            "m" => 60_000_000,
            "h" => 3_600_000_000,
            "d" => 86_400_000_000,
            _ => 0,
        };
        return microseconds != 0;
    }
}
