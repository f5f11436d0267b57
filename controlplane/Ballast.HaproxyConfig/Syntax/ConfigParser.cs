namespace Ballast.HaproxyConfig.Syntax;

/// <summary>
/// Reads a haproxy.cfg into a <see cref="ConfigDocument"/>, following section 2 of HAProxy's configuration manual:
/// lines and words (2.1), quoting and escaping (2.2), environment variables (2.3) and conditional blocks (2.4).
/// </summary>
/// <remarks>
/// Errors never throw: like HAProxy, the reader reports them (line and column) and goes on with the next line, so
/// one pass shows every problem. A line with a syntax error is left out entirely, as HAProxy does.
/// </remarks>
public static class ConfigParser
{
    /// <summary>Reads <paramref name="text"/> with <paramref name="options"/> (defaults: empty environment, HAProxy 2.6).</summary>
    public static ConfigDocument Parse(string text, ParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new DocumentReader(options ?? new ParseOptions()).Read(text);
    }
}
