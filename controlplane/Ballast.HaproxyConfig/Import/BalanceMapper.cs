using Ballast.HaproxyConfig.Syntax;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// Maps <c>balance &lt;algorithm&gt; [&lt;arguments&gt;]</c> and <c>hash-type &lt;method&gt; [&lt;function&gt;
/// [avalanche]]</c> (manual, section 4.2) to the model: the algorithm, its arguments (<c>uri len|depth|path-only|
/// whole</c>, the <c>url_param</c> name, the <c>hdr()</c> name and <c>use_domain_only</c>, <c>random()</c> draws)
/// and the hash method, function and modifier. <c>url_param ... check_post</c>, <c>rdp-cookie</c> and
/// <c>hash &lt;expr&gt;</c> are not in the model and are reported.
/// </summary>
internal static class BalanceMapper
{
    private const uint MaxArgument = int.MaxValue;

    /// <summary>Maps the <c>balance</c> <paramref name="statement"/> into <paramref name="draft"/>'s settings.</summary>
    public static void Map(ProxyDraft draft, ConfigStatement statement)
    {
        var scope = draft.Scope;
        if (!draft.Kind.HasBackend())
        {
            scope.Report(statement, FindingSeverity.Ignored, Reasons.NoCapability("balance", "frontend", "backend"));
            return;
        }

        if (statement.Count < 2)
        {
            scope.Error(statement, 1, "'balance' expects an algorithm");
            return;
        }

        var word = statement[1];
        var open = word.IndexOf('(');
        var name = open < 0 ? word : word[..open];
        Balance? balance = name switch
        {
            "roundrobin" => Balance.Roundrobin,
            "static-rr" => Balance.StaticRr,
            "leastconn" => Balance.Leastconn,
            "first" => Balance.First,
            "source" => Balance.Source,
            "uri" => Balance.Uri,
            "url_param" => Balance.UrlParam,
            "hdr" => Balance.Hdr,
            "random" => Balance.Random,
            _ => null,
        };
        if (balance is null)
        {
            ReportUnmodelled(scope, statement, name);
            return;
        }

        var settings = ReadArguments(scope, statement, balance.Value, word, open);
        if (settings is null)
        {
            return;
        }

        draft.Settings = draft.Settings with { Balance = new(settings, statement.Line, statement.ColumnOf(1)) };
        scope.Mapped(statement, draft.Kind == ProxyKind.Defaults ? $"defaults: balance {name} (inherited)" : $"backend {draft.Name}: balance {name}");
    }

    /// <summary>Maps the <c>hash-type</c> <paramref name="statement"/> into <paramref name="draft"/>'s settings.</summary>
    public static void MapHashType(ProxyDraft draft, ConfigStatement statement)
    {
        var scope = draft.Scope;
        if (!draft.Kind.HasBackend())
        {
            scope.Report(statement, FindingSeverity.Ignored, Reasons.NoCapability("hash-type", "frontend", "backend"));
            return;
        }

        HashType? type = statement.Count < 2 ? null : statement[1] switch
        {
            "map-based" => HashType.MapBased,
            "consistent" => HashType.Consistent,
            _ => null,
        };
        if (type is null)
        {
            scope.Error(statement, 1, "'hash-type' expects 'map-based' or 'consistent' as the hash method");
            return;
        }

        var function = HashFunction.Default;
        if (statement.Count > 2)
        {
            HashFunction? named = statement[2] switch
            {
                "sdbm" => HashFunction.Sdbm,
                "djb2" => HashFunction.Djb2,
                "wt6" => HashFunction.Wt6,
                "crc32" => HashFunction.Crc32,
                "none" => HashFunction.None,
                _ => null,
            };
            if (named is null)
            {
                scope.Error(statement, 2, $"'hash-type' only supports 'sdbm', 'djb2', 'crc32', 'wt6' or 'none' hash functions (got '{statement[2]}')");
                return;
            }

            function = named.Value;
        }

        var avalanche = false;
        if (statement.Count > 3)
        {
            if (statement[3] != "avalanche")
            {
                scope.Error(statement, 3, $"'hash-type' only supports 'avalanche' as a modifier (got '{statement[3]}')");
                return;
            }

            avalanche = true;
        }

        if (!Arguments.NoMoreThan(scope, statement, 3, "hash-type"))
        {
            return;
        }

        draft.Settings = draft.Settings with { Hash = new(new HashSettings(type.Value, function, avalanche), statement.Line, statement.ColumnOf(1)) };
        scope.Mapped(statement, draft.Kind == ProxyKind.Defaults ? "defaults: hash-type (inherited)" : $"backend {draft.Name}: hash-type");
    }

    private static void ReportUnmodelled(SectionScope scope, ConfigStatement statement, string name)
    {
        if (name is "rdp-cookie" or "hash")
        {
            scope.Report(statement, 1, $"balance {name}", FindingSeverity.Unsupported,
                "unsupported: not in the Ballast model yet; the backend keeps its previous algorithm (roundrobin unless inherited)");
            return;
        }

        scope.Error(statement, 1, $"unknown load balancing algorithm '{name}'");
    }

    private static BalanceSettings? ReadArguments(SectionScope scope, ConfigStatement statement, Balance balance, string word, int open)
    {
        var keyword = $"balance {(open < 0 ? word : word[..open])}";
        switch (balance)
        {
            case Balance.Hdr:
                if (open < 0 || !word.EndsWith(')') || word.Length - open <= 2)
                {
                    scope.Error(statement, 1, "'balance hdr' expects a header name in parentheses, e.g. hdr(host)");
                    return null;
                }

                var domainOnly = statement.Count > 2 && statement[2] == "use_domain_only";
                ReportExtra(scope, statement, domainOnly ? 3 : 2, keyword);
                return new BalanceSettings(balance) { Param = word[(open + 1)..^1], UseDomainOnly = domainOnly };
            case Balance.UrlParam:
                if (statement.Count < 3)
                {
                    scope.Error(statement, 2, "'balance url_param' expects a parameter name");
                    return null;
                }

                ReportExtra(scope, statement, 3, keyword);
                return new BalanceSettings(balance) { Param = statement[2] };
            case Balance.Random when open >= 0:
                if (!word.EndsWith(')') || !uint.TryParse(word[(open + 1)..^1], System.Globalization.NumberStyles.None,
                        System.Globalization.CultureInfo.InvariantCulture, out var draws) || draws is < 1 or > MaxArgument)
                {
                    scope.Error(statement, 1, $"'balance random' expects a positive number of draws in parentheses, e.g. random(2) (got '{word}')");
                    return null;
                }

                return Arguments.NoMoreThan(scope, statement, 1, keyword) ? new BalanceSettings(balance) { RandomDraws = draws } : null;
            case Balance.Uri when open < 0:
                return ReadUriArguments(scope, statement);
            default:
                if (open >= 0)
                {
                    scope.Error(statement, 1, $"'{keyword}' takes no arguments in parentheses");
                    return null;
                }

                return Arguments.NoMoreThan(scope, statement, 1, keyword) ? new BalanceSettings(balance) : null;
        }
    }

    /// <summary>Reads <c>balance uri [len &lt;n&gt;] [depth &lt;n&gt;] [path-only] [whole]</c>, in any order.</summary>
    private static BalanceSettings? ReadUriArguments(SectionScope scope, ConfigStatement statement)
    {
        var settings = new BalanceSettings(Balance.Uri);
        for (var i = 2; i < statement.Count; i++)
        {
            switch (statement[i])
            {
                case "len":
                    if (!Arguments.TryUInt(scope, statement, ++i, "balance uri len", 1, MaxArgument, out var len))
                    {
                        return null;
                    }

                    settings = settings with { UriLen = len };
                    break;
                case "depth":
                    if (!Arguments.TryUInt(scope, statement, ++i, "balance uri depth", 1, MaxArgument, out var depth))
                    {
                        return null;
                    }

                    settings = settings with { UriDepth = depth };
                    break;
                case "path-only":
                    settings = settings with { UriPathOnly = true };
                    break;
                case "whole":
                    settings = settings with { UriWhole = true };
                    break;
                default:
                    scope.Error(statement, i, $"'balance uri' only accepts parameters 'len', 'depth', 'path-only' and 'whole' (got '{statement[i]}')");
                    return null;
            }
        }

        return settings;
    }

    /// <summary>Reports each parameter word from <paramref name="from"/> on, a numeric value with its parameter.</summary>
    private static void ReportExtra(SectionScope scope, ConfigStatement statement, int from, string keyword)
    {
        for (var i = from; i < statement.Count; i++)
        {
            scope.Report(statement, i, $"{keyword} {statement[i]}", FindingSeverity.Unsupported, Reasons.NotInModel);
            if (i + 1 < statement.Count && statement[i + 1].All(char.IsAsciiDigit))
            {
                i++;
            }
        }
    }
}
