using Ballast.HaproxyConfig.Import;
using Ballast.HaproxyConfig.Syntax;
using Ballast.HaproxyConfig.Tests.Support;

namespace Ballast.HaproxyConfig.Tests.Import;

/// <summary>Properties every corpus file must have: nothing is dropped silently, positions are real.</summary>
public sealed class CorpusCoverageTests
{
    private static readonly Dictionary<string, string> Environment = new() { ["FD_APP1"] = "3" };

    [Theory]
    [MemberData(nameof(Corpus.All), MemberType = typeof(Corpus))]
    public void Every_statement_is_mapped_or_reported_with_its_line(string file)
    {
        var text = Corpus.Read(file);
        var options = new ParseOptions { Environment = Environment };
        var document = ConfigParser.Parse(text, options);
        var result = HaproxyImporter.Import(text, options);
        var covered = result.Report.Mapped.Select(m => m.Line).Concat(result.Report.Findings.Select(f => f.Line)).ToHashSet();
        var statements = document.Preamble
            .Concat(document.Sections.SelectMany(s => s.Statements.Prepend(s.Header)))
            .ToArray();
        Assert.NotEmpty(statements);
        var silent = statements.Where(s => !covered.Contains(s.Line)).ToArray();
        Assert.True(silent.Length == 0, $"{file}: statements neither mapped nor reported:\n{string.Join('\n', silent.Select(s => s.ToString()))}");
    }

    [Theory]
    [MemberData(nameof(Corpus.All), MemberType = typeof(Corpus))]
    public void Every_finding_points_inside_its_line(string file)
    {
        var lines = Corpus.Read(file).Split('\n');
        var result = HaproxyImporter.Import(Corpus.Read(file), Environment);
        foreach (var finding in result.Report.Findings)
        {
            Assert.InRange(finding.Line, 1, lines.Length);
            Assert.InRange(finding.Column, 1, lines[finding.Line - 1].Length + 1);
            Assert.False(string.IsNullOrWhiteSpace(finding.Reason));
        }
    }

    [Theory]
    [MemberData(nameof(Corpus.All), MemberType = typeof(Corpus))]
    public void Unsupported_and_ignored_reasons_say_so(string file)
    {
        var result = HaproxyImporter.Import(Corpus.Read(file), Environment);
        Assert.All(result.Report.OfSeverity(FindingSeverity.Unsupported), f => Assert.StartsWith("unsupported:", f.Reason, StringComparison.Ordinal));
        Assert.All(result.Report.OfSeverity(FindingSeverity.Ignored), f => Assert.StartsWith("ignored:", f.Reason, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("conditionals-and-env.cfg")]
    [InlineData("manual-2.6-frontend-backend.cfg")]
    [InlineData("manual-2.6-listen.cfg")]
    [InlineData("manual-stick-examples.cfg")]
    [InlineData("minimal-tcp.cfg")]
    [InlineData("named-defaults.cfg")]
    [InlineData("postgres-patroni.cfg")]
    [InlineData("quoting-and-escapes.cfg")]
    public void Corpus_files_are_real_configurations_that_haproxy_2_6_accepts(string file)
    {
        var check = HaproxyBinary.Check(Corpus.Read(file));
        Assert.True(check.ExitCode == 0, $"haproxy -c refused {file}:\n{check.Output}");
        Assert.True(HaproxyImporter.Import(Corpus.Read(file)).Succeeded);
    }
}
