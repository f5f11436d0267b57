using Ballast.HaproxyConfig.Syntax;

namespace Ballast.HaproxyConfig.Tests.Syntax;

/// <summary>Sections, statements and preprocessor directives (HAProxy manual, sections 2.1 and 2.4).</summary>
public sealed class ConfigParserTests
{
    private static ConfigDocument Parse(string text, Dictionary<string, string>? environment = null) =>
        ConfigParser.Parse(text, new ParseOptions { Environment = environment ?? [] });

    private static string[] Keywords(ConfigDocument document, int section) =>
        document.Sections[section].Statements.Select(s => s.Keyword).ToArray();

    [Fact]
    public void Groups_statements_into_sections_until_the_next_section_keyword()
    {
        var document = Parse("global\n  daemon\n\n# comment\nfrontend web from base\n  bind :80\n  mode http\nbackend app\n");
        Assert.Equal(new[] { "global", "frontend", "backend" }, document.Sections.Select(s => s.Type));
        Assert.Equal("web", document.Sections[1].Name);
        Assert.Equal("frontend web", document.Sections[1].DisplayName);
        Assert.Equal(new[] { "bind", "mode" }, Keywords(document, 1));
        Assert.Equal(5, document.Sections[1].Header.Line);
        Assert.Equal(6, document.Sections[1].Statements[0].Line);
        Assert.Empty(document.Sections[2].Statements);
        Assert.Empty(document.Diagnostics);
    }

    [Fact]
    public void Statements_before_any_section_are_kept_apart()
    {
        var document = Parse("mode http\nglobal\n");
        Assert.Single(document.Preamble);
        Assert.Equal(1, document.Preamble[0].Line);
    }

    [Fact]
    public void Global_setenv_directives_change_the_variables_seen_by_later_lines()
    {
        var text = """
            global
                setenv A one
                presetenv B ignored
                presetenv C three
                unsetenv D
                .notice "${A} ${B} ${C} ${D-unset}"
                resetenv A
                .notice "${A} ${B-gone}"

            """;
        var document = Parse(text, new() { ["B"] = "two", ["D"] = "four" });
        var notices = document.Diagnostics.Select(d => d.Message).ToArray();
        Assert.Equal(new[] { "notice: one two three unset", "notice: one gone" }, notices);
    }

    [Fact]
    public void The_process_environment_is_never_read()
    {
        Assert.False(string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable("PATH")));
        var document = Parse("global\n  .notice \"[${PATH}]\"\n");
        Assert.Equal("notice: []", document.Diagnostics.Single().Message);
    }

    [Theory]
    [InlineData(".if 1", "0", "a")]
    [InlineData(".if 0", "1", "b")]
    [InlineData(".if 0", "2", "c")]
    [InlineData(".if defined(X)", "2", "a")]
    [InlineData(".if streq(\"$X\",0)", "0", "a")]
    [InlineData(".if streq(\"$X\",0)", "1", "b")]
    public void Conditional_blocks_keep_exactly_one_branch(string condition, string x, string kept)
    {
        var text = $"""
            backend x
            {condition}
                a
            .elif streq("$X",1)
                b
            .else
                c
            .endif
                after

            """;
        var document = Parse(text, new() { ["X"] = x });
        Assert.Equal(new[] { kept, "after" }, Keywords(document, 0));
    }

    [Fact]
    public void Nested_conditions_inside_an_excluded_block_are_not_evaluated()
    {
        var text = """
            backend x
            .if 0
            .if this is not a valid expression
                a
            .endif
            .else
                b
            .endif

            """;
        var document = Parse(text);
        Assert.Equal(new[] { "b" }, Keywords(document, 0));
        Assert.DoesNotContain(document.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void Syntax_errors_inside_an_excluded_block_still_count_as_in_haproxy()
    {
        var document = Parse("backend x\n.if 0\n  a \"unterminated\n.endif\n");
        var error = Assert.Single(document.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(3, error.Line);
        Assert.Equal(5, error.Column);
    }

    [Fact]
    public void Excluded_lines_are_reported_as_a_notice_on_the_directive()
    {
        var document = Parse("backend x\n.if 0\n  a\n  b\n.else\n  c\n.endif\n");
        var notice = Assert.Single(document.Diagnostics);
        Assert.Equal((2, ".if", DiagnosticSeverity.Notice), (notice.Line, notice.Keyword, notice.Severity));
        Assert.Contains("lines 3-4", notice.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_taken_branch_reports_the_else_branch_it_excludes()
    {
        var document = Parse("backend x\n.if 1\n  a\n.else\n  b\n  c\n.endif\n");
        var notice = Assert.Single(document.Diagnostics);
        Assert.Equal((4, ".else"), (notice.Line, notice.Keyword));
        Assert.Contains("lines 5-6", notice.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("backend x\n.elif 1\n", 2, "lone '.elif'")]
    [InlineData("backend x\n.else\n", 2, "lone '.else'")]
    [InlineData("backend x\n.endif\n", 2, "lone '.endif'")]
    [InlineData("backend x\n.if 1\n.else\n.elif 1\n.endif\n", 4, "'.elif' after '.else'")]
    [InlineData("backend x\n.if 1\n.else\n.else\n.endif\n", 4, "'.else' after '.else'")]
    [InlineData("backend x\n.if 1\n  a\n", 3, "non-terminated '.if'")]
    [InlineData("backend x\n.foo\n", 2, "unknown directive '.foo'")]
    [InlineData("backend x\n.warning \"a\" b\n", 2, "unexpected argument 'b'")]
    [InlineData("backend x\n.alert \"stop\"\n", 2, "alert: stop")]
    public void Directive_errors_name_the_line(string text, int line, string message)
    {
        var error = Assert.Single(Parse(text).Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_condition_is_an_error_at_its_column_and_counts_as_false()
    {
        var document = Parse("backend x\n.if 1 && streq(a)\n  a\n.endif\n");
        var error = Assert.Single(document.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(2, error.Line);
        Assert.Equal(17, error.Column);
        Assert.Empty(Keywords(document, 0));
    }

    [Fact]
    public void Messages_become_diagnostics_of_their_level()
    {
        var document = Parse("global\n.diag \"d\"\n.notice \"n\"\n.warning \"w\"\n");
        Assert.Equal(
            new[] { (DiagnosticSeverity.Notice, "diag: d"), (DiagnosticSeverity.Notice, "notice: n"), (DiagnosticSeverity.Warning, "warning: w") },
            document.Diagnostics.Select(d => (d.Severity, d.Message)));
    }

    [Fact]
    public void A_line_with_a_syntax_error_is_left_out_and_reading_goes_on()
    {
        var document = Parse("backend x\n  server a 'b\n  server c 10.0.0.1:80\n");
        Assert.Equal(new[] { 3 }, document.Sections[0].Statements.Select(s => s.Line));
        Assert.True(document.HasErrors);
    }

    [Fact]
    public void Scope_lines_are_ignored_with_a_notice()
    {
        var document = Parse("global\n  [my-scope]\n  daemon\n");
        Assert.Single(document.Sections[0].Statements);
        Assert.Equal((2, 3, DiagnosticSeverity.Notice), (document.Diagnostics[0].Line, document.Diagnostics[0].Column, document.Diagnostics[0].Severity));
    }

    [Fact]
    public void A_last_line_without_line_feed_is_read_and_flagged()
    {
        var document = Parse("global\n  daemon");
        Assert.Single(document.Sections[0].Statements);
        Assert.Contains(document.Diagnostics, d => d.Severity == DiagnosticSeverity.Warning && d.Message.Contains("missing LF"));
        Assert.Empty(Parse("global\n  daemon\n").Diagnostics);
    }

    [Fact]
    public void A_trailing_backslash_is_flagged_and_the_next_line_stays_a_statement()
    {
        var document = Parse("backend x\n  server a 10.0.0.1:80 \\\n  check\n");
        Assert.Equal(new[] { "server", "check" }, Keywords(document, 0));
        var warning = Assert.Single(document.Diagnostics);
        Assert.Equal((2, 24, DiagnosticSeverity.Warning), (warning.Line, warning.Column, warning.Severity));
        Assert.Contains("no line continuation", warning.Message, StringComparison.Ordinal);
    }
}
