namespace Ballast.HaproxyConfig.Import;

/// <summary>A setting's value and the place it was written, so that later findings can point at it.</summary>
/// <param name="Value">The value.</param>
/// <param name="Line">1-based line of the statement that set it.</param>
/// <param name="Column">1-based column of the word that set it.</param>
internal readonly record struct Sourced<T>(T Value, int Line, int Column);
