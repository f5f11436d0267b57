using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Rules;

/// <summary>
/// Reads and writes conditions (manual, section 7.2): <c>if|unless</c> followed by terms (<c>[!]acl</c> or
/// <c>[!]{ fetch ... }</c>) joined by an implicit AND, groups joined by <c>or</c> / <c>||</c>.
/// </summary>
internal static class ConditionParser
{
    /// <summary>
    /// Reads the condition in <paramref name="words"/> from <paramref name="start"/> (the <c>if</c>/<c>unless</c>
    /// word) to the end.
    /// </summary>
    public static Condition Parse(IReadOnlyList<string> words, int start)
    {
        try
        {
            return ParseTerms(words, start);
        }
        catch (RuleParseException ex) when (ex.WordIndex != start)
        {
            throw new RuleParseException($"{words[start]}: {ex.Message}", ex.WordIndex);
        }
    }

    private static Condition ParseTerms(IReadOnlyList<string> words, int start)
    {
        var keyword = words[start];
        if (keyword is not ("if" or "unless"))
        {
            throw new RuleParseException($"expected 'if' or 'unless' (got '{keyword}')", start);
        }

        var condition = new Condition { Unless = keyword == "unless" };
        if (start + 1 >= words.Count)
        {
            throw new RuleParseException($"'{keyword}' expects a condition", start);
        }

        var group = new ConditionGroup();
        var negate = false;
        for (var i = start + 1; i < words.Count; i++)
        {
            var word = words[i];
            if (word is "or" or "||")
            {
                if (group.Terms.Count == 0 || negate)
                {
                    throw new RuleParseException($"nothing before '{word}'", i);
                }

                condition.Any.Add(group);
                group = new ConditionGroup();
                continue;
            }

            var name = word;
            while (name.StartsWith('!'))
            {
                negate = !negate;
                name = name[1..];
            }

            if (name.Length == 0)
            {
                continue;
            }

            if (name == "}")
            {
                throw new RuleParseException($"'}}' without '{{'", i);
            }

            var term = new ConditionTerm { Negate = negate };
            negate = false;
            if (name == "{")
            {
                var close = i + 1;
                while (close < words.Count && words[close] != "}")
                {
                    close++;
                }

                if (close >= words.Count)
                {
                    throw new RuleParseException($"'{{' without '}}'", i);
                }

                if (close == i + 1)
                {
                    throw new RuleParseException($"empty anonymous ACL '{{ }}'", i);
                }

                term.Inline = AclParser.ParseFetchAndPatterns(words, i + 1, close);
                i = close;
            }
            else
            {
                term.Acl = name;
            }

            group.Terms.Add(term);
        }

        if (group.Terms.Count == 0 || negate)
        {
            throw new RuleParseException($"the condition ends without a term", words.Count - 1);
        }

        condition.Any.Add(group);
        return condition;
    }

    /// <summary>The words of a condition, <c>if</c>/<c>unless</c> included; none for an unset or empty one.</summary>
    public static IEnumerable<string> Format(Condition? condition)
    {
        if (condition is null || condition.Any.Count == 0)
        {
            yield break;
        }

        yield return condition.Unless ? "unless" : "if";
        for (var g = 0; g < condition.Any.Count; g++)
        {
            if (g > 0)
            {
                yield return "or";
            }

            foreach (var term in condition.Any[g].Terms)
            {
                if (term.Inline is null)
                {
                    yield return (term.Negate ? "!" : string.Empty) + term.Acl;
                    continue;
                }

                yield return term.Negate ? "!{" : "{";
                foreach (var word in AclParser.FormatBody(term.Inline))
                {
                    yield return word;
                }

                yield return "}";
            }
        }
    }
}
