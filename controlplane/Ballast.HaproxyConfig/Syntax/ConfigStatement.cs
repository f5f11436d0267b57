namespace Ballast.HaproxyConfig.Syntax;

/// <summary>
/// A statement: one non-empty line of a section, split into words (HAProxy manual, section 2.1 rules 2-5:
/// the first word is the keyword, the others are its arguments).
/// </summary>
/// <param name="Line">1-based line number in the file.</param>
/// <param name="Words">The words, at least one; the first is never empty.</param>
public sealed record ConfigStatement(int Line, IReadOnlyList<ConfigWord> Words)
{
    /// <summary>The first word: the keyword, or a modifier (<c>no</c>, <c>default</c>) before it.</summary>
    public string Keyword => Words[0].Text;

    /// <summary>Column of the first word.</summary>
    public int Column => Words[0].Column;

    /// <summary>Number of words, keyword included.</summary>
    public int Count => Words.Count;

    /// <summary>The text of word <paramref name="index"/>, or the empty string past the end (as HAProxy's <c>args[]</c>).</summary>
    public string this[int index] => index < Words.Count ? Words[index].Text : string.Empty;

    /// <summary>The column of word <paramref name="index"/>, or the column after the last word past the end.</summary>
    public int ColumnOf(int index) =>
        index < Words.Count ? Words[index].Column : Words[^1].Column + Words[^1].Text.Length + 1;

    /// <inheritdoc />
    public override string ToString() => $"{Line}: {string.Join(' ', Words.Select(w => w.Text))}";
}
