namespace Ballast.HaproxyConfig.Syntax;

/// <summary>
/// A message from reading the file: a syntax error, a preprocessor message or a note about skipped text.
/// Positions follow HAProxy's own messages ("parsing [file:line] ... at position N").
/// </summary>
/// <param name="Line">1-based line number.</param>
/// <param name="Column">1-based column of the offending character or word.</param>
/// <param name="Keyword">The directive or keyword concerned (e.g. <c>.if</c>), or empty when the line could not be split.</param>
/// <param name="Severity">Notice, warning or error.</param>
/// <param name="Message">What happened, in HAProxy's terms.</param>
public sealed record SyntaxDiagnostic(int Line, int Column, string Keyword, DiagnosticSeverity Severity, string Message);
