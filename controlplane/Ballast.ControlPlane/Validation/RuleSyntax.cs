using System.Text.RegularExpressions;

namespace Ballast.ControlPlane.Validation;

/// <summary>Character-level checks shared by the layer-7 rules, as the data plane's rule compiler makes them.</summary>
internal static partial class RuleSyntax
{
    /// <summary>Match timeout of regular expressions the non-backtracking engine cannot run.</summary>
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>RFC 9110 token (header and cookie names).</summary>
    public static bool IsToken(string value) => value.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c));

    /// <summary>Ballast name: 1-64 characters of [A-Za-z0-9_.:-].</summary>
    public static bool IsName(string value) => NameRegex().IsMatch(value);

    /// <summary>Whether the text holds a control character.</summary>
    public static bool ContainsControl(string value) => value.Any(c => c < ' ' || c == '\u007f');

    /// <summary>Whether the text holds a control character or a space.</summary>
    public static bool ContainsControlOrSpace(string value) => value.Any(c => c <= ' ' || c == '\u007f');

    /// <summary>Whether nodes compile the regular expression (non-backtracking, else backtracking with a timeout).</summary>
    /// <param name="pattern">The .NET regular expression.</param>
    /// <param name="ignoreCase">Case-insensitive (<c>-i</c>).</param>
    /// <param name="error">Why it does not compile.</param>
    public static bool TryCompileRegex(string pattern, bool ignoreCase, out string error)
    {
        var options = RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        error = string.Empty;
        try
        {
            _ = new Regex(pattern, options | RegexOptions.NonBacktracking);
            return true;
        }
        catch (NotSupportedException)
        {
            // Backreferences, lookarounds, atomic groups: nodes use the backtracking engine with a match timeout.
        }
        catch (ArgumentException ex)
        {
            error = ex.Message;
            return false;
        }

        try
        {
            _ = new Regex(pattern, options, RegexTimeout);
            return true;
        }
        catch (ArgumentException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,64}$")]
    private static partial Regex NameRegex();
}
