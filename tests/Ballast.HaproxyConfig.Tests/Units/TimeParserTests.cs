using Ballast.HaproxyConfig.Units;

namespace Ballast.HaproxyConfig.Tests.Units;

/// <summary>Time format (HAProxy manual, section 2.5).</summary>
public sealed class TimeParserTests
{
    [Theory]
    [InlineData("5000", 5000u)]
    [InlineData("0", 0u)]
    [InlineData("5000ms", 5000u)]
    [InlineData("5s", 5000u)]
    [InlineData("2m", 120_000u)]
    [InlineData("1h", 3_600_000u)]
    [InlineData("1d", 86_400_000u)]
    [InlineData("24d", 2_073_600_000u)]
    [InlineData("2147483647", 2_147_483_647u)]
    [InlineData("1000us", 1u)]
    [InlineData("1500us", 2u)]
    [InlineData("1us", 1u)]
    [InlineData("0us", 0u)]
    public void Parses_every_unit_into_milliseconds_rounding_up(string text, uint expected)
    {
        Assert.True(TimeParser.TryParse(text, TimeUnit.Milliseconds, out var ms, out var error), error);
        Assert.Equal(expected, ms);
    }

    [Fact]
    public void A_bare_number_takes_the_keywords_default_unit()
    {
        Assert.True(TimeParser.TryParse("5", TimeUnit.Seconds, out var ms, out _));
        Assert.Equal(5000u, ms);
    }

    [Theory]
    [InlineData("25d", "too large")]
    [InlineData("2147483648", "too large")]
    [InlineData("596524h", "too large")]
    [InlineData("99999999999999999999999", "too large")]
    [InlineData("99999999999999999d", "too large")]
    [InlineData("5x", "unknown time unit 'x'")]
    [InlineData("5sec", "unknown time unit 'sec'")]
    [InlineData("5 s", "unknown time unit")]
    [InlineData("s", "must start with a number")]
    [InlineData("", "must start with a number")]
    [InlineData("-5", "must start with a number")]
    public void Refuses_overflows_and_unknown_units(string text, string message)
    {
        Assert.False(TimeParser.TryParse(text, TimeUnit.Milliseconds, out _, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0u, "0ms")]
    [InlineData(1500u, "1500ms")]
    [InlineData(2000u, "2s")]
    [InlineData(90_000u, "90s")]
    [InlineData(60_000u, "1m")]
    [InlineData(7_200_000u, "2h")]
    [InlineData(86_400_000u, "1d")]
    public void Formats_with_the_largest_exact_unit(uint ms, string expected)
    {
        Assert.Equal(expected, TimeParser.Format(ms));
        Assert.True(TimeParser.TryParse(expected, TimeUnit.Milliseconds, out var back, out _));
        Assert.Equal(ms, back);
    }
}
