using Ballast.HaproxyConfig.Export;
using Ballast.HaproxyConfig.Syntax;

namespace Ballast.HaproxyConfig.Tests.Export;

/// <summary>Exported words read back unchanged (HAProxy manual, section 2.2).</summary>
public sealed class HaproxyQuotingTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("/health?x=1&y=2", "/health?x=1&y=2")]
    [InlineData("$HOME", "$HOME")]
    [InlineData("a b", "'a b'")]
    [InlineData("a#b", "'a#b'")]
    [InlineData("back\\slash", "'back\\slash'")]
    [InlineData("it's", "\"it's\"")]
    [InlineData("it's $x \"q\"", "\"it's \\$x \\\"q\\\"\"")]
    [InlineData("", "''")]
    public void Quotes_only_when_needed(string value, string expected) => Assert.Equal(expected, HaproxyQuoting.Quote(value));

    [Theory]
    [InlineData("plain")]
    [InlineData("a b\tc")]
    [InlineData("x#y")]
    [InlineData("'single'")]
    [InlineData("\"double\"")]
    [InlineData("mixed ' and \" and $VAR and ${VAR} and \\ and #")]
    [InlineData("new\nline\rcr")]
    [InlineData("bell\u0007 nul\0 esc\u001b")]
    [InlineData("\\x41 is not A")]
    [InlineData("trailing backslash\\")]
    [InlineData("ünïcödé – ok")]
    [InlineData("")]
    public void Every_value_reads_back_as_one_identical_word(string value)
    {
        var line = $"x {HaproxyQuoting.Quote(value)} y";
        var words = new LineTokenizer(_ => null).Tokenize(line, 1);
        Assert.Null(words.Error);
        Assert.Equal(new[] { "x", value, "y" }, words.Words.Select(w => w.Text));
    }
}
