using System.Globalization;
using Ballast.HaproxyConfig.Syntax;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// Maps the proxy-level health check keywords (manual, section 4.2): <c>option httpchk [&lt;method&gt;] [&lt;uri&gt;]
/// [&lt;version&gt;]</c>, <c>http-check send meth &lt;m&gt; uri &lt;u&gt;</c> (2.2+ form), <c>http-check expect status
/// &lt;code&gt;</c>, <c>timeout check</c> and <c>option tcp-check</c>. Other check types (<c>option mysql-check</c>,
/// <c>option ssl-hello-chk</c>, ...) fall back to a TCP connect check and are reported, as are check rules the
/// model cannot express (headers, bodies, other expect matches, <c>tcp-check</c> rules).
/// </summary>
internal static class HealthCheckMapper
{
    private static readonly string[] OtherCheckTypes =
    [
        "ssl-hello-chk", "mysql-check", "pgsql-check", "redis-check", "smtpchk", "ldap-check", "spop-check", "external-check",
    ];

    /// <summary>Whether <c>option &lt;name&gt;</c> selects a check type.</summary>
    public static bool IsCheckOption(string name) => name is "httpchk" or "tcp-check" || OtherCheckTypes.Contains(name);

    /// <summary>Maps <c>option httpchk</c>, <c>option tcp-check</c> or another check type option.</summary>
    public static void MapOption(ProxyDraft draft, ConfigStatement statement)
    {
        var scope = draft.Scope;
        if (!RequireBackend(draft, statement))
        {
            return;
        }

        var name = statement[1];
        var column = statement.ColumnOf(1);
        var check = draft.Settings.Check;
        if (name == "httpchk")
        {
            if (!Arguments.NoMoreThan(scope, statement, 4, "option httpchk"))
            {
                return;
            }

            // One argument is the URI; two or three are method, URI and version (manual, "option httpchk").
            var (method, uri) = statement.Count switch
            {
                2 => ((Sourced<string>?)null, (Sourced<string>?)null),
                3 => (null, new Sourced<string>(statement[2], statement.Line, statement.ColumnOf(2))),
                _ => (new Sourced<string>(statement[2], statement.Line, statement.ColumnOf(2)), new Sourced<string>(statement[3], statement.Line, statement.ColumnOf(3))),
            };
            if (statement.Count == 5)
            {
                scope.Report(statement, 4, "option httpchk", FindingSeverity.Unsupported,
                    "unsupported: the HTTP version and headers of the check request are not in the Ballast model yet");
            }

            draft.Settings = draft.Settings with { Check = check with { Kind = new(CheckKind.Http, statement.Line, column), Method = method, Path = uri } };
        }
        else
        {
            draft.Settings = draft.Settings with { Check = check with { Kind = new(CheckKind.Tcp, statement.Line, column) } };
            if (name != "tcp-check")
            {
                scope.Report(statement, FindingSeverity.Unsupported,
                    $"unsupported: '{name}' checks are not in the Ballast model yet; servers with 'check' get a TCP connect check");
            }
        }

        scope.Mapped(statement, Target(draft, $"health check {(name == "httpchk" ? "http" : "tcp")}"));
    }

    /// <summary>Maps an <c>http-check</c> line.</summary>
    public static void MapHttpCheck(ProxyDraft draft, ConfigStatement statement)
    {
        if (!RequireBackend(draft, statement))
        {
            return;
        }

        switch (statement[1])
        {
            case "send":
                MapSend(draft, statement);
                break;
            case "expect":
                MapExpect(draft, statement);
                break;
            default:
                draft.Scope.Report(statement, FindingSeverity.Unsupported, Reasons.NotInModel);
                break;
        }
    }

    /// <summary>Maps <c>timeout check &lt;time&gt;</c>.</summary>
    public static void MapTimeout(ProxyDraft draft, ConfigStatement statement)
    {
        if (!RequireBackend(draft, statement) || !Arguments.TryTime(draft.Scope, statement, 2, "timeout check", out var ms))
        {
            return;
        }

        Arguments.NoMoreThan(draft.Scope, statement, 2, "timeout check");
        draft.Settings = draft.Settings with { Check = draft.Settings.Check with { TimeoutMs = new(ms, statement.Line, statement.ColumnOf(2)) } };
        draft.Scope.Mapped(statement, Target(draft, "health check timeout"));
    }

    private static void MapSend(ProxyDraft draft, ConfigStatement statement)
    {
        var check = draft.Settings.Check;
        var mapped = false;
        for (var i = 2; i < statement.Count; i += 2)
        {
            if (i + 1 >= statement.Count)
            {
                draft.Scope.Error(statement, i + 1, $"'http-check send {statement[i]}' expects a value");
                break;
            }

            var value = new Sourced<string>(statement[i + 1], statement.Line, statement.ColumnOf(i + 1));
            switch (statement[i])
            {
                case "meth":
                    check = check with { Method = value };
                    mapped = true;
                    break;
                case "uri":
                    check = check with { Path = value };
                    mapped = true;
                    break;
                case "hdr":
                    draft.Scope.Report(statement, i, "http-check send hdr", FindingSeverity.Unsupported, Reasons.NotInModel);
                    i++;
                    break;
                default:
                    draft.Scope.Report(statement, i, $"http-check send {statement[i]}", FindingSeverity.Unsupported, Reasons.NotInModel);
                    break;
            }
        }

        draft.Settings = draft.Settings with { Check = check };
        if (mapped || statement.Count == 2)
        {
            draft.Scope.Mapped(statement, Target(draft, "health check request"));
        }
    }

    private static void MapExpect(ProxyDraft draft, ConfigStatement statement)
    {
        var scope = draft.Scope;
        var kind = statement[2] switch
        {
            "status" => HttpCheckExpect.Status,
            "rstatus" => HttpCheckExpect.Rstatus,
            "string" => HttpCheckExpect.String,
            _ => HttpCheckExpect.Default,
        };
        if (kind == HttpCheckExpect.Default || statement.Count != 4 || statement[3].Length == 0)
        {
            var at = kind == HttpCheckExpect.Default ? 2 : 4;
            scope.Report(statement, Math.Min(at, statement.Count - 1), "http-check expect", FindingSeverity.Unsupported,
                "unsupported: only 'http-check expect status|rstatus|string <pattern>' (no '!', options or other matches) is in the Ballast model yet");
            return;
        }

        var check = draft.Settings.Check;
        if ((check.ExpectStatus?.Line ?? check.Expect?.Line) is { } earlier && draft.IsOwn(earlier))
        {
            scope.Report(statement, FindingSeverity.Unsupported,
                $"unsupported: only one 'http-check expect' rule is in the Ballast model yet; line {earlier} is used");
            return;
        }

        var single = kind == HttpCheckExpect.Status
            && uint.TryParse(statement[3], NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 599;
        check = single
            ? check with { ExpectStatus = new(uint.Parse(statement[3], CultureInfo.InvariantCulture), statement.Line, statement.ColumnOf(3)), Expect = null }
            : check with { Expect = new((kind, statement[3]), statement.Line, statement.ColumnOf(3)), ExpectStatus = null };
        draft.Settings = draft.Settings with { Check = check };
        scope.Mapped(statement, Target(draft, single ? "health check expected status" : $"health check expect {statement[2]}"));
    }

    private static bool RequireBackend(ProxyDraft draft, ConfigStatement statement)
    {
        if (draft.Kind.HasBackend())
        {
            return true;
        }

        draft.Scope.Report(statement, FindingSeverity.Ignored, Reasons.NoCapability(KeywordNames.Of(statement), "frontend", "backend"));
        return false;
    }

    private static string Target(ProxyDraft draft, string what) =>
        draft.Kind == ProxyKind.Defaults ? $"defaults: {what} (inherited)" : $"backend {draft.Name}: {what}";
}
