namespace Ballast.HaproxyConfig.Syntax;

/// <summary>The outcome of splitting one physical line: its words, or the error that stopped HAProxy.</summary>
/// <param name="Words">The words; empty for a blank or comment-only line, or on error.</param>
/// <param name="Error">The syntax error, if any; HAProxy ignores the whole line then.</param>
/// <param name="TrailingBackslashColumn">Column of a backslash ending the line (kept as a literal), or 0.</param>
internal sealed record TokenizedLine(IReadOnlyList<ConfigWord> Words, SyntaxDiagnostic? Error, int TrailingBackslashColumn)
{
    /// <summary>Whether the line holds no statement (HAProxy skips a line whose first word is empty).</summary>
    public bool IsEmpty => Words.Count == 0 || Words[0].Text.Length == 0;
}
