using Ballast.HaproxyConfig.Syntax;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// Maps <c>balance &lt;algorithm&gt; [&lt;arguments&gt;]</c> (manual, section 4.2 "balance") to the model's enum.
/// The algorithm's parameters (<c>uri len 10</c>, the <c>url_param</c> name, the <c>hdr()</c> header name,
/// <c>random(2)</c> draws) are not in the model and are reported; <c>rdp-cookie</c> and <c>hash</c> are not in
/// the model at all.
/// </summary>
internal static class BalanceMapper
{
    /// <summary>Maps <paramref name="statement"/> into <paramref name="draft"/>'s settings.</summary>
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

        if (!CheckArguments(scope, statement, balance.Value, word, open))
        {
            return;
        }

        draft.Settings = draft.Settings with { Balance = new(balance.Value, statement.Line, statement.ColumnOf(1)) };
        scope.Mapped(statement, draft.Kind == ProxyKind.Defaults ? $"defaults: balance {name} (inherited)" : $"backend {draft.Name}: balance {name}");
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

    private static bool CheckArguments(SectionScope scope, ConfigStatement statement, Balance balance, string word, int open)
    {
        var keyword = $"balance {(open < 0 ? word : word[..open])}";
        switch (balance)
        {
            case Balance.Hdr:
                if (open < 0 || !word.EndsWith(')') || word.Length - open <= 2)
                {
                    scope.Error(statement, 1, "'balance hdr' expects a header name in parentheses, e.g. hdr(host)");
                    return false;
                }

                scope.Report(statement, 1, keyword, FindingSeverity.Unsupported,
                    $"unsupported: the header name ({word[(open + 1)..^1]}) is not in the Ballast model yet");
                ReportExtra(scope, statement, 2, keyword);
                return true;
            case Balance.UrlParam:
                if (statement.Count < 3)
                {
                    scope.Error(statement, 2, "'balance url_param' expects a parameter name");
                    return false;
                }

                scope.Report(statement, 2, keyword, FindingSeverity.Unsupported,
                    $"unsupported: the parameter name ({statement[2]}) is not in the Ballast model yet");
                ReportExtra(scope, statement, 3, keyword);
                return true;
            case Balance.Random when open >= 0:
                scope.Report(statement, 1, keyword, FindingSeverity.Unsupported, "unsupported: the number of draws is not in the Ballast model yet");
                ReportExtra(scope, statement, 2, keyword);
                return true;
            case Balance.Uri:
                ReportExtra(scope, statement, 2, keyword);
                return true;
            default:
                if (open >= 0)
                {
                    scope.Error(statement, 1, $"'{keyword}' takes no arguments in parentheses");
                    return false;
                }

                return Arguments.NoMoreThan(scope, statement, 1, keyword);
        }
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
