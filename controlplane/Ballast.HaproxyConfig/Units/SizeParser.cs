using System.Globalization;

namespace Ballast.HaproxyConfig.Units;

/// <summary>
/// Size values as HAProxy parses them (<c>parse_size_err()</c>, used by keywords such as <c>tune.bufsize</c> or a
/// stick-table's <c>size</c>): a decimal number with an optional binary suffix <c>k</c>, <c>m</c> or <c>g</c>
/// (either case; 1k = 1024), limited to 32 bits.
/// </summary>
public static class SizeParser
{
    /// <summary>Parses <paramref name="text"/>, e.g. <c>16384</c>, <c>64k</c>, <c>1m</c>.</summary>
    /// <param name="text">The value.</param>
    /// <param name="size">The size in bytes (or entries), as an unsigned 32-bit number.</param>
    /// <param name="error">Why the value was refused, or null.</param>
    public static bool TryParse(string text, out uint size, out string? error)
    {
        size = 0;
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        if (digits == 0)
        {
            error = $"'{text}' is not a size: it must start with a number";
            return false;
        }

        var shift = text[digits..] switch
        {
            "" => 0,
            "k" or "K" => 10,
            "m" or "M" => 20,
            "g" or "G" => 30,
            _ => -1,
        };
        if (shift < 0)
        {
            error = $"'{text}' has an unknown size suffix '{text[digits..]}' (k, m, g are supported)";
            return false;
        }

        if (!uint.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            || value > uint.MaxValue >> shift)
        {
            error = $"'{text}' is too large: sizes are limited to {uint.MaxValue}";
            return false;
        }

        size = value << shift;
        error = null;
        return true;
    }
}
