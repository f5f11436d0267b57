namespace Ballast.HaproxyConfig.Rules;

/// <summary>A word of a rule that cannot be read; <see cref="Exception.Message"/> names the word.</summary>
public sealed class RuleParseException : Exception
{
    /// <summary>Creates the error.</summary>
    /// <param name="message">What is wrong, naming the word, e.g. <c>unknown action 'tarpit'</c>.</param>
    /// <param name="wordIndex">Index of the offending word in the words given to the parser (for columns), or -1.</param>
    public RuleParseException(string message, int wordIndex)
        : base(message) => WordIndex = wordIndex;

    /// <summary>Creates the error without a position.</summary>
    public RuleParseException()
        : this("invalid rule", -1)
    {
    }

    /// <summary>Creates the error without a position.</summary>
    /// <param name="message">What is wrong.</param>
    public RuleParseException(string message)
        : this(message, -1)
    {
    }

    /// <summary>Creates the error without a position.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public RuleParseException(string message, Exception innerException)
        : base(message, innerException) => WordIndex = -1;

    /// <summary>Index of the offending word, or -1.</summary>
    public int WordIndex { get; }
}
