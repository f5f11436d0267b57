using Ballast.HaproxyConfig.Units;

namespace Ballast.HaproxyConfig.Tests.Units;

/// <summary>Size values (HAProxy's parse_size_err: k, m, g binary suffixes, 32 bits).</summary>
public sealed class SizeParserTests
{
    [Theory]
    [InlineData("16384", 16384u)]
    [InlineData("0", 0u)]
    [InlineData("64k", 65536u)]
    [InlineData("64K", 65536u)]
    [InlineData("1m", 1_048_576u)]
    [InlineData("200k", 204_800u)]
    [InlineData("3G", 3_221_225_472u)]
    [InlineData("4294967295", 4_294_967_295u)]
    [InlineData("4194303k", 4_294_966_272u)]
    public void Parses_binary_suffixes(string text, uint expected)
    {
        Assert.True(SizeParser.TryParse(text, out var size, out var error), error);
        Assert.Equal(expected, size);
    }

    [Theory]
    [InlineData("4g", "too large")]
    [InlineData("4194304k", "too large")]
    [InlineData("4294967296", "too large")]
    [InlineData("99999999999", "too large")]
    [InlineData("3x", "unknown size suffix 'x'")]
    [InlineData("3kb", "unknown size suffix 'kb'")]
    [InlineData("k", "must start with a number")]
    [InlineData("", "must start with a number")]
    public void Refuses_overflows_and_unknown_suffixes(string text, string message)
    {
        Assert.False(SizeParser.TryParse(text, out _, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
