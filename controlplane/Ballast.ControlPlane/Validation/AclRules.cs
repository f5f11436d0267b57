using System.Globalization;
using System.Net;
using Ballast.HaproxyConfig.Rules;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Validation;

/// <summary>Rules of one ACL (named or anonymous), as the data plane's <c>RuleCompiler.CompileAcl</c>.</summary>
internal static class AclRules
{
    /// <summary>Validates <paramref name="acl"/>; errors are <c>&lt;prefix&gt;&lt;message&gt;</c> on <paramref name="field"/>.</summary>
    /// <returns>Whether the ACL is valid.</returns>
    public static bool Validate(Acl acl, string obj, string field, string prefix, List<ValidationError> errors)
    {
        var count = errors.Count;
        void Error(string message) => errors.Add(new(obj, field, prefix + message));

        if (!FetchCatalog.Fetches.TryGetValue(acl.Fetch, out var info))
        {
            Error($"unknown fetch '{acl.Fetch}' (supported by nodes: {string.Join(", ", FetchCatalog.Fetches.Keys.Order(StringComparer.Ordinal))})");
            return false;
        }

        switch (info.Argument)
        {
            case FetchArgument.Name when acl.FetchArg.Length == 0 || RuleSyntax.ContainsControlOrSpace(acl.FetchArg):
                Error($"{acl.Fetch} needs a name argument, as {acl.Fetch}(<name>)");
                break;
            case FetchArgument.Counter when acl.FetchArg != "0":
                Error($"{acl.Fetch}({acl.FetchArg}): only sticky counter 0 is supported (track-sc0)");
                break;
            case FetchArgument.None when acl.FetchArg.Length > 0:
                Error($"{acl.Fetch} takes no argument (got '{acl.FetchArg}')");
                break;
        }

        var match = FetchCatalog.DefaultMatch(info);
        if (acl.Match != AclMatch.Default)
        {
            if (!Enum.IsDefined(acl.Match))
            {
                Error($"unknown match method {(int)acl.Match}");
                return false;
            }

            if (!FetchCatalog.Allows(info, acl.Match))
            {
                Error($"-m {HaproxyMatchName(acl.Match)} cannot be used with {acl.Fetch}");
                return false;
            }

            match = acl.Match;
        }

        if (match == AclMatch.Found && acl.Patterns.Count > 0)
        {
            Error("-m found takes no pattern");
        }

        if (match != AclMatch.Found && acl.Patterns.Count == 0 && acl.Name.Length == 0)
        {
            Error("no pattern");
        }

        switch (match)
        {
            case AclMatch.Reg:
                foreach (var pattern in acl.Patterns)
                {
                    if (!RuleSyntax.TryCompileRegex(pattern, acl.CaseInsensitive, out var error))
                    {
                        Error($"invalid regular expression '{pattern}': {error}");
                    }
                }

                break;
            case AclMatch.Int:
                ValidateIntegers(acl.Patterns, Error);
                break;
            case AclMatch.Ip:
                foreach (var pattern in acl.Patterns.Where(p => !IsNetwork(p)))
                {
                    Error($"invalid address or network '{pattern}'");
                }

                break;
        }

        return errors.Count == count;
    }

    private static string HaproxyMatchName(AclMatch match) => match.ToString().ToLowerInvariant();

    private static void ValidateIntegers(IList<string> patterns, Action<string> error)
    {
        for (var i = 0; i < patterns.Count; i++)
        {
            var word = patterns[i];
            if (word is "eq" or "ge" or "gt" or "le" or "lt")
            {
                if (i + 1 >= patterns.Count || !IsInteger(patterns[i + 1]))
                {
                    error($"'{word}' needs an integer after it");
                    return;
                }

                i++;
                continue;
            }

            var colon = word.IndexOf(':', StringComparison.Ordinal);
            var valid = colon >= 0
                ? word.Length > 1 && (colon == 0 || IsInteger(word[..colon])) && (colon == word.Length - 1 || IsInteger(word[(colon + 1)..]))
                : IsInteger(word);
            if (!valid)
            {
                error($"invalid integer pattern '{word}' (expected n, a:b, or eq|ge|gt|le|lt n)");
                return;
            }
        }
    }

    private static bool IsInteger(string text) => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    private static bool IsNetwork(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return IPAddress.TryParse(text, out _);
        }

        return IPAddress.TryParse(text.AsSpan(0, slash), out var address)
            && int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            && prefix <= (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
    }
}
