using Ballast.HaproxyConfig.Syntax;

namespace Ballast.HaproxyConfig.Tests.Syntax;

/// <summary>Word splitting, quoting, escaping and variables (HAProxy manual, sections 2.1-2.3).</summary>
public sealed class LineTokenizerTests
{
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["HOST"] = "10.0.0.1",
        ["LIST"] = "a  b\tc",
        ["EMPTY"] = string.Empty,
        ["SPACED"] = " x ",
    };

    private static TokenizedLine Tokenize(string line, int number = 7) =>
        new LineTokenizer(name => name switch
        {
            ".LINE" => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ".FILE" => "test.cfg",
            ".SECTION" => "app",
            _ => Environment.GetValueOrDefault(name),
        }).Tokenize(line, number);

    private static string[] Words(string line)
    {
        var result = Tokenize(line);
        Assert.Null(result.Error);
        return result.Words.Select(w => w.Text).ToArray();
    }

    [Theory]
    [InlineData("server s1 10.0.0.1:80 check", new[] { "server", "s1", "10.0.0.1:80", "check" })]
    [InlineData("  \t server\t\ts1   10.0.0.1:80  ", new[] { "server", "s1", "10.0.0.1:80" })]
    [InlineData("mode http # or tcp", new[] { "mode", "http" })]
    [InlineData("global#this is the global section", new[] { "global" })]
    [InlineData("a\\#b \"c#d\" 'e#f'", new[] { "a#b", "c#d", "e#f" })]
    [InlineData("log-format %{+Q}o\\ %t\\ %s", new[] { "log-format", "%{+Q}o %t %s" })]
    [InlineData("log-format \"%{+Q}o %t\"' %s'\\ %{-Q}r", new[] { "log-format", "%{+Q}o %t %s %{-Q}r" })]
    [InlineData("x a\"b c\"d", new[] { "x", "ab cd" })]
    [InlineData("x 'a''b'", new[] { "x", "ab" })]
    public void Splits_words_on_unprotected_blanks_and_stops_at_comments(string line, string[] expected) =>
        Assert.Equal(expected, Words(line));

    [Theory]
    [InlineData("x 'a $HOST \\n \\\\ \"q\"'", "a $HOST \\n \\\\ \"q\"")]
    [InlineData("x \"a $HOST 'q'\"", "a 10.0.0.1 'q'")]
    [InlineData("x $HOST", "$HOST")]
    [InlineData("x \"${HOST}:80\"", "10.0.0.1:80")]
    [InlineData("x \"$HOST:80\"", "10.0.0.1:80")]
    [InlineData("x \"${NOPE-127.0.0.1}:80\"", "127.0.0.1:80")]
    [InlineData("x \"${EMPTY-default}\" y", "")]
    [InlineData("x \"${NOPE}\"z", "z")]
    [InlineData("x \"${NOPE-def ault}\"", "def ault")]
    [InlineData("x \"line ${.LINE} of ${.FILE} in ${.SECTION}\"", "line 7 of test.cfg in app")]
    public void Single_quotes_are_strong_and_double_quotes_expand_variables(string line, string expected) =>
        Assert.Equal(expected, Words(line)[1]);

    [Theory]
    [InlineData("x \\x41\\x4a\\x2d", "AJ-")]
    [InlineData("x \"\\x41\"", "A")]
    [InlineData("x a\\tb", "a\tb")]
    [InlineData("x \"a\\nb\\rc\"", "a\nb\rc")]
    [InlineData("x a\\\\b", "a\\b")]
    [InlineData("x \\'a\\'", "'a'")]
    [InlineData("x \\\"a\\\"", "\"a\"")]
    [InlineData("x \"q\\$x\"", "q$x")]
    [InlineData("x foo\\$bar", "foo\\$bar")]
    [InlineData("x my/\\1", "my/\\1")]
    [InlineData("x 's\\t'", "s\\t")]
    public void Backslash_escapes_follow_haproxy_2_6_parse_line(string line, string expected) =>
        Assert.Equal(expected, Words(line)[1]);

    [Fact]
    public void Backslash_tab_outside_quotes_is_a_backslash_then_a_separator_as_in_haproxy_2_6() =>
        Assert.Equal(new[] { "x", "a\\", "b" }, Words("x a\\\tb"));

    [Fact]
    public void Word_expansion_splits_a_variable_into_several_words() =>
        Assert.Equal(new[] { "server", "a", "b", "c", "check" }, Words("server \"${LIST[*]}\" check"));

    [Fact]
    public void Word_expansion_keeps_text_glued_before_and_after() =>
        Assert.Equal(new[] { "x", "pa", "b", "cq" }, Words("x \"p${LIST[*]}q\""));

    [Fact]
    public void Empty_quoted_word_is_kept_in_the_middle_and_dropped_at_the_end()
    {
        Assert.Equal(new[] { "x", "", "y" }, Words("x \"\" y"));
        Assert.Equal(new[] { "x" }, Words("x \"\""));
        Assert.Equal(new[] { "x", "", "y" }, Words("x \"$NOPE\" y"));
    }

    [Fact]
    public void Line_whose_first_word_is_empty_is_an_empty_line_as_in_haproxy() =>
        Assert.True(Tokenize("\"\" mode http").IsEmpty);

    [Fact]
    public void Words_carry_the_column_where_they_start()
    {
        var words = Tokenize("\tserver  \"s 1\" 10.0.0.1:80").Words;
        Assert.Equal(new[] { 2, 10, 16 }, words.Select(w => w.Column));
    }

    [Fact]
    public void Carriage_return_ends_the_line_so_crlf_files_read_like_lf_files() =>
        Assert.Equal(new[] { "mode", "http" }, Words("mode http\r"));

    [Theory]
    [InlineData("    x \"abc", 7, "unmatched quote")]
    [InlineData("x 'abc", 3, "unmatched quote")]
    [InlineData("    .notice \"\\xZZ\"", 14, "hexadecimal")]
    [InlineData("x \\x4", 3, "hexadecimal")]
    [InlineData("    .notice \"$.FOO\"", 15, "pseudo-variable")]
    [InlineData("x \"$1\"", 5, "forbidden first char")]
    [InlineData("    .notice \"${X\"", 15, "unmatched brace")]
    [InlineData("x \"${X-abc\"", 5, "unmatched brace")]
    [InlineData("    .notice \"${X[x]}\"", 17, "word expansion")]
    [InlineData("x a\0b", 4, "NUL")]
    public void Syntax_errors_name_the_line_and_the_column_haproxy_reports(string line, int column, string message)
    {
        var error = Tokenize(line, 42).Error;
        Assert.NotNull(error);
        Assert.Equal(42, error.Line);
        Assert.Equal(column, error.Column);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_64_words_is_an_error_naming_the_65th()
    {
        var line = string.Join(' ', Enumerable.Range(1, 65).Select(i => $"w{i}"));
        var error = Tokenize(line).Error;
        Assert.NotNull(error);
        Assert.Equal(line.IndexOf("w65", StringComparison.Ordinal) + 1, error.Column);
        Assert.Null(Tokenize(string.Join(' ', Enumerable.Range(1, 64).Select(i => $"w{i}"))).Error);
    }

    [Fact]
    public void A_trailing_backslash_is_kept_and_flagged_because_haproxy_has_no_line_continuation()
    {
        var result = Tokenize("server s1 10.0.0.1:80 \\");
        Assert.Equal("\\", result.Words[^1].Text);
        Assert.Equal(23, result.TrailingBackslashColumn);
        Assert.Equal(0, Tokenize("server s1 a\\\\").TrailingBackslashColumn);
    }
}
