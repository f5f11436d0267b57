using Ballast.HaproxyConfig.Syntax;

namespace Ballast.HaproxyConfig.Tests.Syntax;

/// <summary>Conditions of .if/.elif (HAProxy manual, section 2.4).</summary>
public sealed class ConditionEvaluatorTests
{
    private static readonly HashSet<string> Defined = ["WITH_SSL", "EMPTY"];

    private static ConditionResult Evaluate(string text, string version = "2.6")
    {
        Assert.True(HaproxyVersion.TryParse(version, out var current));
        return new ConditionEvaluator(Defined.Contains, ParseOptions.DebianHaproxy26Features, current).Evaluate(text);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("0", false)]
    [InlineData("1", true)]
    [InlineData("-1", true)]
    [InlineData("0x10", true)]
    [InlineData("000", false)]
    [InlineData("!0", true)]
    [InlineData("!!1", true)]
    [InlineData("! 1", false)]
    [InlineData("1 && 0", false)]
    [InlineData("0 || 1", true)]
    [InlineData("1 && 0 || 1 && 1", true)]
    [InlineData("0 || 1 && 0", false)]
    [InlineData("!(0 || 0)", true)]
    [InlineData("( 1 && (0 || 1) )", true)]
    [InlineData("defined(WITH_SSL)", true)]
    [InlineData("defined(EMPTY)", true)]
    [InlineData("defined(NOPE)", false)]
    [InlineData("!defined(NOPE)", true)]
    [InlineData("defined()", false)]
    [InlineData("streq(yes,yes)", true)]
    [InlineData("streq(a, a)", false)]
    [InlineData("streq(\"a,b\",'a,b')", true)]
    [InlineData("streq(a\\,b,a\\,b)", true)]
    [InlineData("strneq(a,b)", true)]
    [InlineData("feature(OPENSSL)", true)]
    [InlineData("feature(QUIC)", false)]
    [InlineData("feature(OPENSSL) && (streq(yes,yes) || streq(no,yes))", true)]
    public void Evaluates_like_haproxy(string text, bool expected)
    {
        var result = Evaluate(text);
        Assert.Null(result.Error);
        Assert.Equal(expected, result.Value);
    }

    [Theory]
    [InlineData("version_atleast(2.4)", "2.6", true)]
    [InlineData("version_atleast(2.6)", "2.6", true)]
    [InlineData("version_atleast(2.6.1)", "2.6", false)]
    [InlineData("version_atleast(2.4-dev19)", "2.4", true)]
    [InlineData("version_atleast(2.4)", "2.4-dev19", false)]
    [InlineData("version_atleast(2.4-rc1)", "2.4-dev19", false)]
    [InlineData("version_before(2.7)", "2.6.12", true)]
    [InlineData("version_before(2.6.12)", "2.6.12", false)]
    [InlineData("version_atleast(2.6.12)", "2.6.12-1+deb12u4", true)]
    public void Compares_versions_with_missing_components_as_zero_and_dev_before_release(string text, string current, bool expected)
    {
        var result = Evaluate(text, current);
        Assert.Null(result.Error);
        Assert.Equal(expected, result.Value);
    }

    [Theory]
    [InlineData("foo", 0, "unparsable")]
    [InlineData("2 3", 2, "unexpected character '3'")]
    [InlineData("defined(HOME", 12, "expected ')'")]
    [InlineData("streq(a)", 7, "missing arguments (got 1/2)")]
    [InlineData("defined(a,b)", 11, "too many arguments")]
    [InlineData("defined", 7, "missing arguments (got 0/1)")]
    [InlineData("(1", 2, "expected ')'")]
    [InlineData("1 &&", 4, "unparsable")]
    [InlineData("version_atleast(x)", 18, "invalid version")]
    public void Rejects_malformed_expressions_with_the_offset_of_the_problem(string text, int offset, string message)
    {
        var result = Evaluate(text);
        Assert.NotNull(result.Error);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Equal(offset, result.ErrorOffset);
    }

    [Fact]
    public void Deep_nesting_is_refused_instead_of_overflowing_the_stack()
    {
        var result = Evaluate(new string('(', 10_000) + "1" + new string(')', 10_000));
        Assert.NotNull(result.Error);
    }
}
