using System.Globalization;
using System.Text.RegularExpressions;

namespace Ballast.DataPlane.Health;

/// <summary>Matches of HAProxy <c>http-check expect status|rstatus|string</c>.</summary>
internal static class HttpCheckExpectations
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// <c>http-check expect status &lt;codes&gt;</c>: whether <paramref name="status"/> is in the comma-separated list of
    /// codes and <c>low-high</c> ranges (<c>200,301-302</c>).
    /// </summary>
    /// <param name="codes">The list.</param>
    /// <param name="status">The response status.</param>
    public static bool StatusMatches(string codes, int status)
    {
        foreach (var part in codes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code == status)
                {
                    return true;
                }
            }
            else if (int.TryParse(part.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var low)
                && int.TryParse(part.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var high)
                && status >= low && status <= high)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="codes"/> is a valid <c>status</c> list (codes and ranges, 100-599).</summary>
    /// <param name="codes">The list.</param>
    public static bool IsValidStatusList(string codes)
    {
        var parts = codes.Split(',', StringSplitOptions.TrimEntries);
        foreach (var part in parts)
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            var ok = dash < 0
                ? IsCode(part)
                : IsCode(part[..dash]) && IsCode(part[(dash + 1)..]) && int.Parse(part[..dash], CultureInfo.InvariantCulture) <= int.Parse(part[(dash + 1)..], CultureInfo.InvariantCulture);
            if (!ok)
            {
                return false;
            }
        }

        return parts.Length > 0;

        static bool IsCode(string text) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 599;
    }

    /// <summary><c>http-check expect rstatus &lt;regex&gt;</c>: whether the 3-digit status matches.</summary>
    /// <param name="pattern">The regular expression.</param>
    /// <param name="status">The response status.</param>
    public static bool RegexMatches(string pattern, int status)
    {
        try
        {
            return Regex.IsMatch(status.ToString(CultureInfo.InvariantCulture), pattern, RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="pattern"/> is a valid regular expression.</summary>
    /// <param name="pattern">The pattern.</param>
    public static bool IsValidRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, RegexTimeout);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
