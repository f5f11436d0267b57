using Ballast.HaproxyConfig.Syntax;

namespace Ballast.HaproxyConfig.Import;

/// <summary>The section a statement is mapped in, with the report to write findings to.</summary>
/// <param name="Section">The syntax section.</param>
/// <param name="Builder">Where findings and mapped statements go.</param>
internal sealed record SectionScope(ConfigSection Section, ReportBuilder Builder)
{
    /// <summary>The section as reports name it: <c>backend app</c>.</summary>
    public string Name { get; } = Section.DisplayName;

    /// <summary>Reports part of <paramref name="statement"/> (word <paramref name="wordIndex"/>) under <paramref name="keyword"/>.</summary>
    public void Report(ConfigStatement statement, int wordIndex, string keyword, FindingSeverity severity, string reason) =>
        Builder.Add(new ImportFinding(statement.Line, statement.ColumnOf(wordIndex), Name, keyword, severity, reason));

    /// <summary>Reports the whole statement under its display keyword.</summary>
    public void Report(ConfigStatement statement, FindingSeverity severity, string reason) =>
        Report(statement, 0, KeywordNames.Of(statement), severity, reason);

    /// <summary>Reports an error at word <paramref name="wordIndex"/>.</summary>
    public void Error(ConfigStatement statement, int wordIndex, string message) =>
        Report(statement, wordIndex, KeywordNames.Of(statement), FindingSeverity.Error, message);

    /// <summary>Records that <paramref name="statement"/> set <paramref name="target"/>.</summary>
    public void Mapped(ConfigStatement statement, string target) =>
        Builder.Mapped(new MappedStatement(statement.Line, Name, KeywordNames.Of(statement), target));
}
