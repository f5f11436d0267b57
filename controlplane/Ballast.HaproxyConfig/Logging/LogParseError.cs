namespace Ballast.HaproxyConfig.Logging;

/// <summary>Why a <c>log</c> line does not read.</summary>
/// <param name="Message">What is wrong, naming the word.</param>
/// <param name="WordIndex">Index of the offending word among the words after <c>log</c>.</param>
/// <param name="Unsupported">True when HAProxy accepts the line but the Ballast model cannot hold it.</param>
public sealed record LogParseError(string Message, int WordIndex, bool Unsupported);
