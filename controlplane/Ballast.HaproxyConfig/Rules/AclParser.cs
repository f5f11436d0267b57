using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Rules;

/// <summary>
/// Reads ACLs (manual, section 7.1): <c>&lt;name&gt; &lt;fetch&gt;[(&lt;arg&gt;)] [-i] [-m &lt;method&gt;] [--]
/// &lt;patterns...&gt;</c>, and the anonymous ones of conditions (<c>{ &lt;fetch&gt; ... }</c>). Only the syntax is
/// checked here; which fetches and patterns nodes accept is the validator's business.
/// </summary>
internal static class AclParser
{
    /// <summary>HAProxy's <c>-m</c> methods the model has.</summary>
    public static readonly IReadOnlyDictionary<string, AclMatch> Methods = new Dictionary<string, AclMatch>(StringComparer.Ordinal)
    {
        ["str"] = AclMatch.Str,
        ["beg"] = AclMatch.Beg,
        ["end"] = AclMatch.End,
        ["sub"] = AclMatch.Sub,
        ["reg"] = AclMatch.Reg,
        ["found"] = AclMatch.Found,
        ["dir"] = AclMatch.Dir,
        ["dom"] = AclMatch.Dom,
        ["int"] = AclMatch.Int,
        ["ip"] = AclMatch.Ip,
    };

    /// <summary>Reads a named ACL from <paramref name="words"/> (name first).</summary>
    public static Acl ParseNamed(IReadOnlyList<string> words)
    {
        if (words.Count == 0 || words[0].Length == 0)
        {
            throw new RuleParseException("expected '<name> <fetch> [flags] [patterns]'", 0);
        }

        if (words.Count < 2)
        {
            throw new RuleParseException($"ACL '{words[0]}' has no fetch", 0);
        }

        var acl = ParseFetchAndPatterns(words, 1, words.Count);
        acl.Name = words[0];
        return acl;
    }

    /// <summary>Reads <c>&lt;fetch&gt; [flags] [patterns]</c> from words <paramref name="start"/> to <paramref name="end"/> (excluded).</summary>
    public static Acl ParseFetchAndPatterns(IReadOnlyList<string> words, int start, int end)
    {
        var acl = new Acl();
        (acl.Fetch, acl.FetchArg) = ParseFetch(words[start], start);
        var i = start + 1;
        while (i < end && words[i].StartsWith('-') && words[i].Length > 1)
        {
            var flag = words[i];
            if (flag == "--")
            {
                i++;
                break;
            }

            switch (flag)
            {
                case "-i":
                    acl.CaseInsensitive = true;
                    break;
                case "-m":
                    if (i + 1 >= end)
                    {
                        throw new RuleParseException("'-m' expects a match method", i);
                    }

                    if (!Methods.TryGetValue(words[i + 1], out var method))
                    {
                        throw new RuleParseException($"unsupported match method '-m {words[i + 1]}' (supported: {string.Join(", ", Methods.Keys)})", i + 1);
                    }

                    acl.Match = method;
                    i++;
                    break;
                default:
                    throw new RuleParseException($"unsupported ACL flag '{flag}' (supported: -i, -m <method>, --)", i);
            }

            i++;
        }

        for (; i < end; i++)
        {
            acl.Patterns.Add(words[i]);
        }

        return acl;
    }

    /// <summary>Splits <c>name(arg)</c> into the fetch and its argument; converters are refused.</summary>
    public static (string Fetch, string Argument) ParseFetch(string word, int index)
    {
        var open = word.IndexOf('(', StringComparison.Ordinal);
        if (open < 0)
        {
            if (word.Contains(',', StringComparison.Ordinal) || word.Contains(')', StringComparison.Ordinal))
            {
                throw new RuleParseException($"invalid fetch '{word}' (converters are not supported)", index);
            }

            return (word, string.Empty);
        }

        var close = word.IndexOf(')', open);
        if (close < 0)
        {
            throw new RuleParseException($"invalid fetch '{word}': missing ')'", index);
        }

        if (close != word.Length - 1)
        {
            throw new RuleParseException($"invalid fetch '{word}' (converters are not supported)", index);
        }

        var argument = word[(open + 1)..close];
        if (argument.Contains(',', StringComparison.Ordinal))
        {
            throw new RuleParseException($"invalid fetch '{word}': only one argument is supported", index);
        }

        return (word[..open], argument);
    }

    /// <summary>The words of an ACL without its name (<c>fetch(arg) -i -m method -- patterns</c>).</summary>
    public static IEnumerable<string> FormatBody(Acl acl)
    {
        yield return acl.FetchArg.Length > 0 ? $"{acl.Fetch}({acl.FetchArg})" : acl.Fetch;
        if (acl.CaseInsensitive)
        {
            yield return "-i";
        }

        if (acl.Match != AclMatch.Default)
        {
            yield return "-m";
            yield return Methods.First(m => m.Value == acl.Match).Key;
        }

        if (acl.Patterns.Any(p => p.StartsWith('-') && p.Length > 1))
        {
            yield return "--";
        }

        foreach (var pattern in acl.Patterns)
        {
            yield return pattern;
        }
    }
}
