using System.Text;

namespace Ballast.HaproxyConfig.Syntax;

/// <summary>
/// Splits one line into words the way HAProxy 2.6's <c>parse_line()</c> does (manual, sections 2.1-2.3):
/// unprotected spaces and tabs separate words, an unprotected '#' starts a comment, single quotes are strong,
/// double quotes are weak and expand <c>$VAR</c>, <c>${VAR}</c>, <c>${VAR-default}</c> and <c>${VAR[*]}</c>,
/// backslash escapes <c>\ \\ \# \' \" \t \n \r \xNN</c> (and <c>\$</c> inside double quotes).
/// </summary>
/// <remarks>
/// Where the manual's table and the parser differ, the parser wins because it is what HAProxy does:
/// outside double quotes <c>\$</c> stays <c>\$</c>, and <c>\&lt;TAB&gt;</c> is a backslash followed by a separator.
/// HAProxy has no line continuation: a backslash ending a line is kept literally (and reported by the caller).
/// A line holds at most 64 words, as HAProxy's <c>MAX_LINE_ARGS</c>.
/// </remarks>
internal sealed class LineTokenizer
{
    /// <summary>HAProxy's <c>MAX_LINE_ARGS</c>.</summary>
    public const int MaxWords = 64;

    private readonly StringBuilder _word = new();
    private readonly List<ConfigWord> _words = [];
    private readonly Func<string, string?> _lookup;

    /// <summary>Creates a tokenizer resolving variables (and the <c>.LINE</c>/<c>.FILE</c>/<c>.SECTION</c> pseudo-variables) with <paramref name="lookup"/>.</summary>
    public LineTokenizer(Func<string, string?> lookup) => _lookup = lookup;

    /// <summary>Whether <paramref name="c"/> separates words: C's <c>isspace()</c> minus the line ends.</summary>
    public static bool IsBlank(char c) => c is ' ' or '\t' or '\v' or '\f';

    /// <summary>Splits <paramref name="line"/> (without its line feed), number <paramref name="lineNumber"/>.</summary>
    public TokenizedLine Tokenize(string line, int lineNumber)
    {
        _words.Clear();
        _word.Clear();
        var i = 0;
        while (i < line.Length && (IsBlank(line[i]) || line[i] == '\r'))
        {
            i++;
        }

        var wordColumn = i + 1;
        var squote = false;
        var dquote = false;
        var quoteAt = -1;
        var trailingBackslash = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (c is '\n' or '\r')
            {
                break;
            }

            if (c == '\0')
            {
                return Fail(lineNumber, i, "stray NUL character");
            }

            if (c == '#' && !squote && !dquote)
            {
                break;
            }

            if (c == '"' && !squote)
            {
                dquote = !dquote;
                quoteAt = dquote ? i : -1;
                i++;
            }
            else if (c == '\'' && !dquote)
            {
                squote = !squote;
                quoteAt = squote ? i : -1;
                i++;
            }
            else if (c == '\\' && !squote)
            {
                var next = i + 1 < line.Length ? line[i + 1] : '\0';
                if (next == 'x')
                {
                    if (i + 3 >= line.Length || !IsHex(line[i + 2]) || !IsHex(line[i + 3]))
                    {
                        return Fail(lineNumber, i, "truncated or invalid hexadecimal sequence");
                    }

                    _word.Append((char)((HexValue(line[i + 2]) << 4) + HexValue(line[i + 3])));
                    i += 4;
                    continue;
                }

                var (emit, consumed) = next switch
                {
                    ' ' or '\\' or '#' or '\'' or '"' => (next, 2),
                    't' => ('\t', 2),
                    'n' => ('\n', 2),
                    'r' => ('\r', 2),
                    '$' when dquote => ('$', 2),
                    _ => ('\\', 1),
                };
                if (consumed == 1 && (i + 1 == line.Length || line[i + 1] is '\r' or '\n'))
                {
                    trailingBackslash = i + 1;
                }

                _word.Append(emit);
                i += consumed;
            }
            else if (IsBlank(c) && !squote && !dquote)
            {
                while (i < line.Length && IsBlank(line[i]))
                {
                    i++;
                }

                EndWord(wordColumn);
                wordColumn = i + 1;
            }
            else if (c == '$' && dquote)
            {
                var error = ExpandVariable(line, ref i, lineNumber, ref wordColumn);
                if (error is not null)
                {
                    return new TokenizedLine([], error, 0);
                }
            }
            else
            {
                _word.Append(c);
                i++;
            }
        }

        if (_word.Length > 0)
        {
            EndWord(wordColumn);
        }

        if (quoteAt >= 0)
        {
            return Fail(lineNumber, quoteAt, "unmatched quote");
        }

        if (_words.Count > MaxWords)
        {
            return Fail(lineNumber, _words[MaxWords].Column - 1, $"too many words, at most {MaxWords} per line");
        }

        return new TokenizedLine(_words.ToArray(), null, trailingBackslash);
    }

    private SyntaxDiagnostic? ExpandVariable(string line, ref int i, int lineNumber, ref int wordColumn)
    {
        var dollar = i;
        i++;
        var brace = -1;
        if (i < line.Length && line[i] == '{')
        {
            brace = i++;
        }

        if (i >= line.Length || !(char.IsAsciiLetter(line[i]) || line[i] is '_' or '.'))
        {
            return Error(lineNumber, i, "forbidden first char in environment variable name");
        }

        var nameStart = i;
        if (line[i] == '.')
        {
            i++;
        }

        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] == '_'))
        {
            i++;
        }

        var name = line[nameStart..i];
        if (name[0] == '.' && name is not (".LINE" or ".FILE" or ".SECTION"))
        {
            return Error(lineNumber, nameStart, $"unknown pseudo-variable '{name}'");
        }

        var value = _lookup(name);
        var expand = false;
        if (brace >= 0 && i < line.Length && line[i] == '[')
        {
            if (i + 2 >= line.Length || line[i + 1] != '*' || line[i + 2] != ']')
            {
                return Error(lineNumber, i, "truncated or invalid word expansion sequence");
            }

            expand = true;
            i += 3;
        }

        if (brace >= 0)
        {
            if (i < line.Length && line[i] == '-')
            {
                var close = line.IndexOf('}', i);
                if (close < 0)
                {
                    return Error(lineNumber, brace, "unmatched brace in environment variable name");
                }

                value ??= line[(i + 1)..close];
                i = close;
            }
            else if (i >= line.Length || line[i] != '}')
            {
                return Error(lineNumber, brace, "unmatched brace in environment variable name");
            }

            i++;
        }

        AppendValue(value, expand, dollar, ref wordColumn);
        return null;
    }

    private void AppendValue(string? value, bool expand, int dollar, ref int wordColumn)
    {
        if (value is null)
        {
            return;
        }

        if (!expand)
        {
            _word.Append(value);
            return;
        }

        for (var v = 0; v < value.Length; v++)
        {
            if (IsCSpace(value[v]))
            {
                EndWord(wordColumn);
                wordColumn = dollar + 1;
                while (v + 1 < value.Length && IsCSpace(value[v + 1]))
                {
                    v++;
                }
            }
            else
            {
                _word.Append(value[v]);
            }
        }
    }

    private void EndWord(int column)
    {
        _words.Add(new ConfigWord(_word.ToString(), column));
        _word.Clear();
    }

    private static TokenizedLine Fail(int lineNumber, int index, string message) =>
        new([], Error(lineNumber, index, message), 0);

    private static SyntaxDiagnostic Error(int lineNumber, int index, string message) =>
        new(lineNumber, index + 1, string.Empty, DiagnosticSeverity.Error, message);

    private static bool IsCSpace(char c) => IsBlank(c) || c is '\n' or '\r';

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
