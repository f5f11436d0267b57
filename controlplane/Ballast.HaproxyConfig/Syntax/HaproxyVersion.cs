using System.Globalization;

namespace Ballast.HaproxyConfig.Syntax;

/// <summary>
/// A version as <c>haproxy -v</c> shows it (<c>2.6</c>, <c>2.6.12</c>, <c>2.4-dev19</c>, <c>2.2-rc1</c>), ordered as
/// <c>version_atleast()</c> and <c>version_before()</c> compare them (manual, section 2.4): missing components are
/// zero, and a development stage comes before its release (dev &lt; pre &lt; rc &lt; release).
/// </summary>
internal readonly record struct HaproxyVersion(int Major, int Minor, int Patch, int Build, int Stage, int StageNumber)
    : IComparable<HaproxyVersion>
{
    private const int Release = 3;

    /// <summary>Parses <paramref name="text"/>; false if it does not start with a number.</summary>
    public static bool TryParse(string text, out HaproxyVersion version)
    {
        version = default;
        Span<int> parts = stackalloc int[4];
        var i = 0;
        var count = 0;
        while (count < 4)
        {
            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == start || !int.TryParse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out parts[count]))
            {
                return false;
            }

            count++;
            if (i >= text.Length || text[i] != '.')
            {
                break;
            }

            i++;
        }

        var (stage, number) = ParseStage(text.AsSpan(i));
        version = new HaproxyVersion(parts[0], parts[1], parts[2], parts[3], stage, number);
        return true;
    }

    /// <inheritdoc />
    public int CompareTo(HaproxyVersion other)
    {
        Span<int> mine = [Major, Minor, Patch, Build, Stage, StageNumber];
        Span<int> theirs = [other.Major, other.Minor, other.Patch, other.Build, other.Stage, other.StageNumber];
        return mine.SequenceCompareTo(theirs);
    }

    private static (int Stage, int Number) ParseStage(ReadOnlySpan<char> rest)
    {
        if (rest.Length < 2 || rest[0] != '-')
        {
            return (Release, 0);
        }

        rest = rest[1..];
        var stage = rest.StartsWith("dev") ? 0 : rest.StartsWith("pre") ? 1 : rest.StartsWith("rc") ? 2 : Release;
        if (stage == Release)
        {
            return (Release, 0);
        }

        var digits = rest[(stage == 2 ? 2 : 3)..];
        var end = 0;
        while (end < digits.Length && char.IsAsciiDigit(digits[end]))
        {
            end++;
        }

        return (stage, int.TryParse(digits[..end], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0);
    }
}
