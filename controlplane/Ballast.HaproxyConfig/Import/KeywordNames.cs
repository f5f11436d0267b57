using System.Collections.Frozen;
using Ballast.HaproxyConfig.Syntax;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// How reports name a statement's keyword: as the manual's keyword index does, with the second word for
/// keyword families (<c>option redispatch</c>, <c>timeout client</c>, <c>http-request set-header</c>,
/// <c>tcp-request content</c>; arguments in parentheses dropped, so <c>http-request set-var(txn.x)</c> reads
/// <c>http-request set-var</c>) and the <c>no</c>/<c>default</c> modifier in front when present.
/// </summary>
internal static class KeywordNames
{
    private static readonly FrozenSet<string> Families = new[]
    {
        "option", "timeout", "http-check", "tcp-check", "http-request", "http-response", "http-after-response",
        "tcp-request", "tcp-response", "stats", "stick", "monitor", "compression", "email-alert", "capture",
        "declare", "quic-initial", "http-error",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The display keyword of <paramref name="statement"/>.</summary>
    public static string Of(ConfigStatement statement)
    {
        var first = 0;
        if (statement.Keyword is "no" or "default" && statement.Count > 1)
        {
            first = 1;
        }

        var keyword = statement[first];
        if (Families.Contains(keyword) && statement.Count > first + 1)
        {
            var second = statement[first + 1];
            var parenthesis = second.IndexOf('(');
            keyword = $"{keyword} {(parenthesis > 0 ? second[..parenthesis] : second)}";
        }

        return first == 1 ? $"{statement.Keyword} {keyword}" : keyword;
    }
}
