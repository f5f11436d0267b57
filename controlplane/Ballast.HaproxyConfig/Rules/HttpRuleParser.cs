using System.Globalization;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Rules;

/// <summary>
/// Reads and writes the <c>http-request</c> / <c>http-response</c> rules of the model (manual, section 4.2
/// <c>http-request</c>): <c>deny [deny_status &lt;code&gt;]</c>, <c>redirect location|prefix|scheme &lt;v&gt; [code
/// &lt;code&gt;]</c>, <c>return [status &lt;code&gt;] [content-type &lt;type&gt;] [string &lt;text&gt;]</c>,
/// <c>set-header</c>/<c>add-header &lt;name&gt; &lt;value&gt;</c>, <c>del-header &lt;name&gt;</c>, <c>set-path
/// &lt;fmt&gt;</c>, <c>replace-path &lt;regex&gt; &lt;fmt&gt;</c>, <c>track-sc0 src|req.hdr(&lt;name&gt;)</c>,
/// <c>allow</c>; each optionally followed by <c>if|unless &lt;condition&gt;</c>.
/// </summary>
internal static class HttpRuleParser
{
    /// <summary>Action keywords of the model.</summary>
    public static readonly IReadOnlyDictionary<string, HttpAction> Actions = new Dictionary<string, HttpAction>(StringComparer.Ordinal)
    {
        ["deny"] = HttpAction.Deny,
        ["redirect"] = HttpAction.Redirect,
        ["return"] = HttpAction.Return,
        ["set-header"] = HttpAction.SetHeader,
        ["add-header"] = HttpAction.AddHeader,
        ["del-header"] = HttpAction.DelHeader,
        ["replace-path"] = HttpAction.ReplacePath,
        ["set-path"] = HttpAction.SetPath,
        ["track-sc0"] = HttpAction.TrackSc0,
        ["allow"] = HttpAction.Allow,
    };

    /// <summary>Reads a rule from <paramref name="words"/> (the action first).</summary>
    public static HttpRule Parse(IReadOnlyList<string> words)
    {
        if (words.Count == 0)
        {
            throw new RuleParseException("expected an action", 0);
        }

        if (!Actions.TryGetValue(words[0], out var action))
        {
            throw new RuleParseException($"unsupported action '{words[0]}' (supported: {string.Join(", ", Actions.Keys)})", 0);
        }

        var rule = new HttpRule { Action = action };
        var end = words.Count;
        for (var i = 1; i < words.Count; i++)
        {
            if (words[i] is "if" or "unless")
            {
                end = i;
                break;
            }
        }

        var args = new ArgumentReader(words, 1, end);
        switch (action)
        {
            case HttpAction.Deny:
                while (args.TryNext(out var option, out var at))
                {
                    rule.Status = option is "deny_status" or "status"
                        ? args.Status(option)
                        : throw new RuleParseException($"deny: unsupported option '{option}' (supported: deny_status <code>)", at);
                }

                break;
            case HttpAction.Redirect:
                ParseRedirect(rule, args);
                break;
            case HttpAction.Return:
                while (args.TryNext(out var option, out var at))
                {
                    switch (option)
                    {
                        case "status":
                            rule.Status = args.Status(option);
                            break;
                        case "content-type":
                            rule.ContentType = args.Value(option);
                            break;
                        case "string":
                            rule.Value = args.Value(option);
                            break;
                        default:
                            throw new RuleParseException($"return: unsupported option '{option}' (supported: status, content-type, string)", at);
                    }
                }

                break;
            case HttpAction.SetHeader or HttpAction.AddHeader:
                rule.Name = args.Value(words[0]);
                rule.Value = args.Value(words[0]);
                break;
            case HttpAction.DelHeader:
                rule.Name = args.Value(words[0]);
                break;
            case HttpAction.SetPath:
                rule.Value = args.Value(words[0]);
                break;
            case HttpAction.ReplacePath:
                rule.Regex = args.Value(words[0]);
                rule.Value = args.Value(words[0]);
                break;
            case HttpAction.TrackSc0:
                var key = args.Value(words[0]);
                (rule.Fetch, rule.FetchArg) = AclParser.ParseFetch(key, 1);
                break;
        }

        args.End(words[0]);
        if (end < words.Count)
        {
            rule.Condition = ConditionParser.Parse(words, end);
        }

        return rule;
    }

    /// <summary>The words of a rule.</summary>
    public static IEnumerable<string> Format(HttpRule rule)
    {
        var words = new List<string> { Actions.First(a => a.Value == rule.Action).Key };
        switch (rule.Action)
        {
            case HttpAction.Deny when rule.Status != 0:
                words.AddRange(["deny_status", Number(rule.Status)]);
                break;
            case HttpAction.Redirect:
                words.AddRange([rule.RedirectType switch { RedirectType.Prefix => "prefix", RedirectType.Scheme => "scheme", _ => "location" }, rule.Value]);
                if (rule.Status != 0)
                {
                    words.AddRange(["code", Number(rule.Status)]);
                }

                break;
            case HttpAction.Return:
                if (rule.Status != 0)
                {
                    words.AddRange(["status", Number(rule.Status)]);
                }

                if (rule.ContentType.Length > 0)
                {
                    words.AddRange(["content-type", rule.ContentType]);
                }

                if (rule.Value.Length > 0)
                {
                    words.AddRange(["string", rule.Value]);
                }

                break;
            case HttpAction.SetHeader or HttpAction.AddHeader:
                words.AddRange([rule.Name, rule.Value]);
                break;
            case HttpAction.DelHeader:
                words.Add(rule.Name);
                break;
            case HttpAction.SetPath:
                words.Add(rule.Value);
                break;
            case HttpAction.ReplacePath:
                words.AddRange([rule.Regex, rule.Value]);
                break;
            case HttpAction.TrackSc0:
                words.Add(rule.Fetch.Length == 0 ? "src" : rule.FetchArg.Length > 0 ? $"{rule.Fetch}({rule.FetchArg})" : rule.Fetch);
                break;
        }

        words.AddRange(ConditionParser.Format(rule.Condition));
        return words;
    }

    private static void ParseRedirect(HttpRule rule, ArgumentReader args)
    {
        var kind = args.Value("redirect");
        rule.RedirectType = kind switch
        {
            "location" => RedirectType.Location,
            "prefix" => RedirectType.Prefix,
            "scheme" => RedirectType.Scheme,
            _ => throw new RuleParseException($"redirect: expected location, prefix or scheme (got '{kind}')", args.Last),
        };
        rule.Value = args.Value($"redirect {kind}");
        while (args.TryNext(out var option, out var at))
        {
            rule.Status = option == "code"
                ? args.Status(option)
                : throw new RuleParseException($"redirect: unsupported option '{option}' (supported: code <code>)", at);
        }
    }

    private static string Number(uint value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Walks the arguments of an action.</summary>
    private sealed class ArgumentReader(IReadOnlyList<string> words, int start, int end)
    {
        private int _next = start;

        /// <summary>Index of the word read last.</summary>
        public int Last => _next - 1;

        /// <summary>Reads the next word, if any.</summary>
        public bool TryNext(out string word, out int index)
        {
            index = _next;
            word = _next < end ? words[_next++] : string.Empty;
            return index < end;
        }

        /// <summary>Reads the value of <paramref name="keyword"/>.</summary>
        public string Value(string keyword)
        {
            if (!TryNext(out var word, out _))
            {
                throw new RuleParseException($"'{keyword}' expects a value", Math.Max(0, _next - 1));
            }

            return word;
        }

        /// <summary>Reads an HTTP status after <paramref name="keyword"/>.</summary>
        public uint Status(string keyword)
        {
            var word = Value(keyword);
            if (!uint.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            {
                throw new RuleParseException($"{keyword}: '{word}' is not a status code", Last);
            }

            return status;
        }

        /// <summary>Fails when words are left.</summary>
        public void End(string action)
        {
            if (_next < end)
            {
                throw new RuleParseException($"{action}: unexpected word '{words[_next]}'", _next);
            }
        }
    }
}
