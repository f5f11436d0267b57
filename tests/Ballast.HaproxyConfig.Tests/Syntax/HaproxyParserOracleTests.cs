using System.Text;
using System.Text.RegularExpressions;
using Ballast.HaproxyConfig.Syntax;
using Ballast.HaproxyConfig.Tests.Support;

namespace Ballast.HaproxyConfig.Tests.Syntax;

/// <summary>
/// Differential test against the real HAProxy 2.6 parser: each case is the argument of a <c>.notice</c> line, which
/// HAProxy prints back as it read it, or rejects with "at position N". The reader must agree on both.
/// </summary>
public sealed partial class HaproxyParserOracleTests
{
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["HOST"] = "10.0.0.1",
        ["PAIR"] = "a b",
        ["EMPTY"] = string.Empty,
    };

    private static readonly string[] Cases =
    [
        "plain", "a\\ b", "\"a b\"", "'a b'", "a\"b c\"d", "'a''b'", "foo\\$bar", "\"q\\$x\"", "\\1x", "'s\\t'",
        "x\\#y", "\"x#y\"", "'x#y'", "\"$HOST\"", "$HOST", "\"${HOST}:80\"", "\"${NOPE-def ault}\"", "\"${NOPE}\"x",
        "\"${EMPTY-d}\"x", "\"\\x41\\x4a\"", "\\x2d", "\"${.LINE}\"", "\"${.SECTION}\"", "\\'q\\'", "\\\"q\\\"",
        "\"it's\"", "'say \"hi\"'", "a\\\\b", "%[path,regsub(\\\"(foo|bar)\\\",blah,g)]",
        "'%[path,regsub(\"^/(here)(/|$)\",\"my/\\1\",g)]'", "\"a\\ b\"", "trail\\",
        // errors: HAProxy names the position
        "\"unterminated", "'unterminated", "\"\\xZZ\"", "\"$1\"", "\"$.FOO\"", "\"${HOST\"", "\"${HOST[x]}\"",
    ];

    [Fact]
    public void Reads_words_exactly_as_haproxy_2_6()
    {
        var text = new StringBuilder("global\n");
        foreach (var item in Cases)
        {
            text.Append("    .notice ").Append(item).Append('\n');
        }

        var haproxy = HaproxyBinary.Check(text.ToString(), Environment);
        var theirs = ParseHaproxyOutput(haproxy.Output);
        var ours = ConfigParser.Parse(text.ToString(), new ParseOptions { Environment = Environment, HaproxyVersion = "2.6.12" })
            .Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Warning).ToDictionary(
                d => d.Line,
                d => d.Severity == DiagnosticSeverity.Error ? $"error at {d.Column}" : d.Message["notice: ".Length..]);

        for (var i = 0; i < Cases.Length; i++)
        {
            var line = i + 2;
            Assert.True(theirs.ContainsKey(line), $"HAProxy said nothing about line {line} ({Cases[i]}):\n{haproxy.Output}");
            Assert.True(ours.TryGetValue(line, out var mine), $"no diagnostic for line {line} ({Cases[i]})");
            Assert.True(theirs[line] == mine, $"line {line} {Cases[i]}: HAProxy read [{theirs[line]}], we read [{mine}]");
        }
    }

    private static Dictionary<int, string> ParseHaproxyOutput(string output)
    {
        var result = new Dictionary<int, string>();
        foreach (var line in output.Split('\n'))
        {
            var notice = NoticeLine().Match(line);
            if (notice.Success)
            {
                result[int.Parse(notice.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)] = notice.Groups[2].Value;
                continue;
            }

            var error = ErrorLine().Match(line);
            if (error.Success)
            {
                result[int.Parse(error.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)] = $"error at {error.Groups[2].Value}";
            }
        }

        return result;
    }

    [GeneratedRegex(@"^\[NOTICE\].*parsing \[[^:]+:(\d+)\]: '(.*)'\.$")]
    private static partial Regex NoticeLine();

    [GeneratedRegex(@"^\[ALERT\].*parsing \[[^:]+:(\d+)\]: .* at position (\d+):")]
    private static partial Regex ErrorLine();
}
