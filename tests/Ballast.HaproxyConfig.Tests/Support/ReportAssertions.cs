using Ballast.HaproxyConfig.Import;

namespace Ballast.HaproxyConfig.Tests.Support;

internal static class ReportAssertions
{
    /// <summary>The single finding on <paramref name="line"/> for <paramref name="keyword"/>.</summary>
    public static ImportFinding Finding(this ImportResult result, int line, string keyword)
    {
        var matches = result.Report.Findings.Where(f => f.Line == line && f.Keyword == keyword).ToArray();
        Assert.True(matches.Length == 1,
            $"expected one finding '{keyword}' on line {line}, found {matches.Length}. Findings:\n{string.Join('\n', result.Report.Findings)}");
        return matches[0];
    }

    public static void HasFinding(this ImportResult result, int line, string keyword, FindingSeverity severity, string reasonPart)
    {
        var finding = result.Finding(line, keyword);
        Assert.Equal(severity, finding.Severity);
        Assert.Contains(reasonPart, finding.Reason, StringComparison.Ordinal);
    }

    public static void NoErrors(this ImportResult result) =>
        Assert.True(result.Succeeded, "unexpected errors:\n" + string.Join('\n', result.Report.OfSeverity(FindingSeverity.Error)));

    public static Ballast.Proto.V1.Backend Backend(this ImportResult result, string name) =>
        result.Config.Backends.Single(b => b.Name == name);

    public static Ballast.Proto.V1.Frontend Frontend(this ImportResult result, string name) =>
        result.Config.Frontends.Single(f => f.Name == name);

    /// <summary>Lines of <paramref name="text"/> (1-based) whose content, trimmed, starts with <paramref name="prefix"/>.</summary>
    public static int LineOf(string text, string prefix, int occurrence = 1)
    {
        var lines = text.Split('\n');
        var seen = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith(prefix, StringComparison.Ordinal) && ++seen == occurrence)
            {
                return i + 1;
            }
        }

        throw new InvalidOperationException($"no line starting with '{prefix}' (occurrence {occurrence})");
    }
}
