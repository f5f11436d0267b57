using Ballast.HaproxyConfig.Export;
using Ballast.HaproxyConfig.Syntax;

namespace Ballast.HaproxyConfig.Rules;

/// <summary>
/// Splits the HAProxy text of one rule (as the admin API holds it, e.g. <c>deny deny_status 429 if is_api</c>) into
/// words with HAProxy's quoting rules, and joins words back into text that splits the same way.
/// </summary>
public static class RuleWords
{
    /// <summary>Splits <paramref name="text"/>; no environment variables are visible.</summary>
    /// <param name="text">One line of HAProxy text.</param>
    /// <param name="words">The words.</param>
    /// <param name="error">Why the text could not be split (e.g. an unmatched quote), or null.</param>
    public static bool TrySplit(string text, out IReadOnlyList<string> words, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains('\n', StringComparison.Ordinal) || text.Contains('\r', StringComparison.Ordinal))
        {
            words = [];
            error = "must be one line";
            return false;
        }

        var line = new LineTokenizer(_ => null).Tokenize(text, 1);
        if (line.Error is { } diagnostic)
        {
            words = [];
            error = $"{diagnostic.Message} at position {diagnostic.Column}";
            return false;
        }

        words = line.Words.Select(w => w.Text).ToArray();
        error = null;
        return true;
    }

    /// <summary>Joins words, each quoted as HAProxy needs (<see cref="HaproxyQuoting.Quote"/>).</summary>
    /// <param name="words">The words.</param>
    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(HaproxyQuoting.Quote));
}
