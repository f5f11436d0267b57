using System.Text;

namespace Ballast.HaproxyConfig.Syntax;

/// <summary>
/// Evaluates the condition of <c>.if</c>/<c>.elif</c> as HAProxy 2.6's <c>cfgcond.c</c> (manual, section 2.4):
/// integers (0 is false), <c>( )</c>, <c>!</c>, <c>&amp;&amp;</c> binding tighter than <c>||</c>, and the
/// predicates <c>defined</c>, <c>feature</c>, <c>streq</c>, <c>strneq</c>, <c>version_atleast</c>,
/// <c>version_before</c>. The words after the directive are joined with single spaces, as HAProxy does; an empty
/// condition is false. The whole expression is parsed, so a syntax error is reported even where a short-circuit
/// would skip it.
/// </summary>
internal sealed class ConditionEvaluator
{
    private const int MaxDepth = 64;

    private readonly Func<string, bool> _isDefined;
    private readonly IReadOnlySet<string> _features;
    private readonly HaproxyVersion _version;

    /// <summary>Creates an evaluator for the given environment test, build features and running version.</summary>
    public ConditionEvaluator(Func<string, bool> isDefined, IReadOnlySet<string> features, HaproxyVersion version)
    {
        _isDefined = isDefined;
        _features = features;
        _version = version;
    }

    /// <summary>Evaluates <paramref name="text"/>.</summary>
    public ConditionResult Evaluate(string text)
    {
        if (text.Length == 0)
        {
            return new ConditionResult(false, null, 0);
        }

        var reader = new Reader(text);
        var result = ParseOr(ref reader, MaxDepth);
        if (result.Error is not null)
        {
            return result;
        }

        reader.SkipBlanks();
        return reader.AtEnd
            ? result
            : ConditionResult.Fail($"unexpected character '{reader.Peek}' at the end of conditional expression '{text}'", reader.Position);
    }

    private ConditionResult ParseOr(ref Reader reader, int depth)
    {
        var left = ParseAnd(ref reader, depth - 1);
        if (left.Error is not null)
        {
            return left;
        }

        reader.SkipBlanks();
        if (!reader.TryConsume("||"))
        {
            return left;
        }

        reader.SkipBlanks();
        var right = ParseOr(ref reader, depth - 1);
        return right.Error is not null ? right : new ConditionResult(left.Value || right.Value, null, 0);
    }

    private ConditionResult ParseAnd(ref Reader reader, int depth)
    {
        var left = ParseTerm(ref reader, depth - 1);
        if (left.Error is not null)
        {
            return left;
        }

        reader.SkipBlanks();
        if (!reader.TryConsume("&&"))
        {
            return left;
        }

        reader.SkipBlanks();
        var right = ParseAnd(ref reader, depth - 1);
        return right.Error is not null ? right : new ConditionResult(left.Value && right.Value, null, 0);
    }

    private ConditionResult ParseTerm(ref Reader reader, int depth)
    {
        reader.SkipBlanks();
        var start = reader.Position;
        if (reader.AtEnd || depth <= 0)
        {
            return ConditionResult.Fail($"unparsable conditional expression '{reader.Rest}'", start);
        }

        var negate = false;
        while (reader.TryConsume("!"))
        {
            negate = !negate;
            reader.SkipBlanks();
        }

        var term = ParseInteger(ref reader) ?? ParseParenthesis(ref reader, depth) ?? ParsePredicate(ref reader);
        if (term is not { } value)
        {
            return ConditionResult.Fail($"unparsable conditional expression '{reader.Text[start..]}'", start);
        }

        return value.Error is not null ? value : value with { Value = value.Value ^ negate };
    }

    private static ConditionResult? ParseInteger(ref Reader reader)
    {
        var save = reader.Position;
        _ = reader.TryConsume("+") || reader.TryConsume("-");
        var hex = reader.Remaining.Length > 2 && reader.Remaining[0] == '0' && (reader.Remaining[1] | 0x20) == 'x'
            && char.IsAsciiHexDigit(reader.Remaining[2]);
        if (hex)
        {
            reader.Advance(2);
        }

        var digits = 0;
        var nonZero = false;
        while (!reader.AtEnd && (hex ? char.IsAsciiHexDigit(reader.Peek) : char.IsAsciiDigit(reader.Peek)))
        {
            nonZero |= reader.Peek != '0';
            digits++;
            reader.Advance(1);
        }

        if (digits == 0)
        {
            reader.Position = save;
            return null;
        }

        return new ConditionResult(nonZero, null, 0);
    }

    private ConditionResult? ParseParenthesis(ref Reader reader, int depth)
    {
        if (!reader.TryConsume("("))
        {
            return null;
        }

        reader.SkipBlanks();
        var inner = ParseOr(ref reader, depth - 1);
        if (inner.Error is not null)
        {
            return inner;
        }

        reader.SkipBlanks();
        if (!reader.TryConsume(")"))
        {
            return ConditionResult.Fail("expected ')' after conditional expression", reader.Position);
        }

        return inner;
    }

    private ConditionResult? ParsePredicate(ref Reader reader)
    {
        var rest = reader.Remaining;
        var length = rest.IndexOfAny(' ', '(');
        var name = (length < 0 ? rest : rest[..length]).ToString();
        var arity = name switch
        {
            "defined" or "feature" or "version_atleast" or "version_before" => 1,
            "streq" or "strneq" => 2,
            _ => 0,
        };
        if (arity == 0)
        {
            return null;
        }

        reader.Advance(name.Length);
        var args = ParseArguments(ref reader, name, arity, out var error);
        if (error is not null)
        {
            return error;
        }

        return name switch
        {
            "defined" => new ConditionResult(_isDefined(args[0]), null, 0),
            "feature" => new ConditionResult(_features.Contains(args[0]), null, 0),
            "streq" => new ConditionResult(string.Equals(args[0], args[1], StringComparison.Ordinal), null, 0),
            "strneq" => new ConditionResult(!string.Equals(args[0], args[1], StringComparison.Ordinal), null, 0),
            _ => CompareVersion(name, args[0], reader.Position),
        };
    }

    private ConditionResult CompareVersion(string predicate, string text, int position)
    {
        if (!HaproxyVersion.TryParse(text, out var wanted))
        {
            return ConditionResult.Fail($"invalid version '{text}' in predicate '{predicate}'", position);
        }

        var comparison = _version.CompareTo(wanted);
        return new ConditionResult(predicate == "version_atleast" ? comparison >= 0 : comparison < 0, null, 0);
    }

    /// <summary>Reads <c>(arg,arg)</c> as HAProxy's <c>make_arg_list()</c>: quotes and backslashes protect ',' and ')'.</summary>
    private static List<string> ParseArguments(ref Reader reader, string predicate, int arity, out ConditionResult? error)
    {
        error = null;
        var args = new List<string>(arity);
        if (!reader.TryConsume("("))
        {
            error = ConditionResult.Fail($"missing arguments (got 0/{arity}) in predicate '{predicate}'", reader.Position);
            return args;
        }

        var current = new StringBuilder();
        var squote = false;
        var dquote = false;
        while (true)
        {
            if (reader.AtEnd)
            {
                error = ConditionResult.Fail($"expected ')' in argument {args.Count + 1} of predicate '{predicate}'", reader.Position);
                return args;
            }

            var c = reader.Peek;
            reader.Advance(1);
            if (c == '\'' && !dquote)
            {
                squote = !squote;
            }
            else if (c == '"' && !squote)
            {
                dquote = !dquote;
            }
            else if (c == '\\' && !squote && !reader.AtEnd)
            {
                current.Append(reader.Peek switch { 't' => '\t', 'n' => '\n', 'r' => '\r', var x => x });
                reader.Advance(1);
            }
            else if (c is ',' or ')' && !squote && !dquote)
            {
                args.Add(current.ToString());
                current.Clear();
                if (c == ')')
                {
                    break;
                }
            }
            else
            {
                current.Append(c);
            }
        }

        if (args.Count != arity)
        {
            error = ConditionResult.Fail(
                args.Count < arity
                    ? $"missing arguments (got {args.Count}/{arity}) in predicate '{predicate}'"
                    : $"too many arguments (got {args.Count}/{arity}) in predicate '{predicate}'",
                reader.Position - 1);
        }

        return args;
    }

    private ref struct Reader(string text)
    {
        public string Text { get; } = text;

        public int Position { get; set; }

        public readonly bool AtEnd => Position >= Text.Length;

        public readonly char Peek => Text[Position];

        public readonly ReadOnlySpan<char> Remaining => Text.AsSpan(Position);

        public readonly string Rest => Text[Position..];

        public void Advance(int count) => Position += count;

        public void SkipBlanks()
        {
            while (!AtEnd && Peek is ' ' or '\t')
            {
                Position++;
            }
        }

        public bool TryConsume(string token)
        {
            if (!Remaining.StartsWith(token, StringComparison.Ordinal))
            {
                return false;
            }

            Position += token.Length;
            return true;
        }
    }
}
