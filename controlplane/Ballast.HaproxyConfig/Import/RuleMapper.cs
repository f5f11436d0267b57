using Ballast.HaproxyConfig.Rules;
using Ballast.HaproxyConfig.Syntax;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// Maps the layer-7 statements of a proxy (manual, sections 4.2 and 7) with the shared <see cref="HaproxyRules"/>
/// reader, so that the admin API and the importer agree: <c>acl</c>, <c>use_backend &lt;b&gt; [if|unless
/// &lt;cond&gt;]</c>, <c>http-request</c>, <c>http-response</c>, <c>stick-table</c>, <c>stick on src</c> and
/// <c>cookie</c>. What the model cannot hold (other actions, fetches, converters, <c>-f</c> files, <c>peers</c>, ...)
/// is reported at the offending word and the line is left out. In a <c>listen</c> section, ACLs and rules go to the
/// frontend side, <c>cookie</c> and <c>stick on</c> to the backend side, and the stick table to the backend when it
/// has <c>stick on</c>. These statements in a <c>defaults</c> section are reported (the model has them per proxy).
/// </summary>
internal static class RuleMapper
{
    /// <summary>Whether <paramref name="keyword"/> is mapped here.</summary>
    public static bool Handles(string keyword) =>
        keyword is "acl" or "use_backend" or "http-request" or "http-response" or "stick-table" or "stick" or "cookie";

    /// <summary>Maps <paramref name="statement"/> into <see cref="ProxyDraft.Rules"/>.</summary>
    public static void Map(ProxyDraft draft, ConfigStatement statement)
    {
        var scope = draft.Scope;
        var keyword = statement.Keyword;
        if (draft.Kind == ProxyKind.Defaults)
        {
            scope.Report(statement, FindingSeverity.Unsupported,
                $"unsupported: '{keyword}' in a defaults section is not in the Ballast model yet (it holds {keyword} per frontend/backend)");
            return;
        }

        var backendOnly = keyword is "cookie" or "stick";
        if ((backendOnly && !draft.Kind.HasBackend()) || (keyword == "use_backend" && !draft.Kind.HasFrontend()))
        {
            scope.Report(statement, FindingSeverity.Ignored,
                Reasons.NoCapability(KeywordNames.Of(statement), backendOnly ? "frontend" : "backend", backendOnly ? "backend" : "frontend"));
            return;
        }

        var words = statement.Words.Skip(1).Select(w => w.Text).ToArray();
        var rules = draft.Rules;
        switch (keyword)
        {
            case "acl" when Parse(scope, statement, HaproxyRules.TryParseAcl(words, out var acl, out var error, out var at), error, at)
                && Fits(scope, statement, FetchCheck.Find(acl!)):
                rules.Acls.Add(acl!);
                Mapped(draft, statement, $"acl {acl!.Name}");
                break;
            case "use_backend":
                MapUseBackend(draft, statement, words);
                break;
            case "http-request" or "http-response" when Parse(scope, statement, HaproxyRules.TryParseHttpRule(words, out var rule, out var error, out var at), error, at)
                && Fits(scope, statement, FetchCheck.Find(rule!.Condition)) && Known(draft, statement, rule.Condition):
                (keyword == "http-request" ? rules.HttpRequest : rules.HttpResponse).Add(rule!);
                Mapped(draft, statement, $"{keyword} {HaproxyRules.ActionName(rule!.Action)}");
                break;
            case "stick-table" when Parse(scope, statement, HaproxyRules.TryParseStickTable(words, out var table, out var error, out var at), error, at):
                Replace(draft, statement, rules.StickTable is not null, "stick-table");
                rules.StickTable = table;
                Mapped(draft, statement, "stick-table");
                break;
            case "cookie" when Parse(scope, statement, HaproxyRules.TryParseCookie(words, out var cookie, out var error, out var at), error, at):
                Replace(draft, statement, rules.Cookie is not null, "cookie");
                rules.Cookie = cookie;
                Mapped(draft, statement, $"cookie {cookie!.Name}");
                break;
            case "stick":
                MapStick(draft, statement);
                break;
        }
    }

    /// <summary>Sets the frontend side of the rules of <paramref name="draft"/>.</summary>
    public static void Apply(ProxyDraft draft, Frontend frontend)
    {
        var rules = draft.Rules;
        frontend.Acls.AddRange(rules.Acls);
        frontend.UseBackends.AddRange(rules.UseBackends);
        frontend.HttpRequest.AddRange(rules.HttpRequest);
        frontend.HttpResponse.AddRange(rules.HttpResponse);
        if (draft.Kind == ProxyKind.Frontend || rules.StickOn.Length == 0)
        {
            frontend.StickTable = rules.StickTable;
        }
    }

    /// <summary>Sets the backend side of the rules of <paramref name="draft"/>.</summary>
    public static void Apply(ProxyDraft draft, Backend backend)
    {
        var rules = draft.Rules;
        if (draft.Kind == ProxyKind.Backend)
        {
            backend.Acls.AddRange(rules.Acls);
            backend.HttpRequest.AddRange(rules.HttpRequest);
            backend.HttpResponse.AddRange(rules.HttpResponse);
        }

        if (draft.Kind == ProxyKind.Backend || rules.StickOn.Length > 0)
        {
            backend.StickTable = rules.StickTable;
        }

        backend.Cookie = rules.Cookie;
        backend.StickOn = rules.StickOn;
    }

    private static void MapUseBackend(ProxyDraft draft, ConfigStatement statement, string[] words)
    {
        var scope = draft.Scope;
        if (words.Length == 0 || words[0].Length == 0)
        {
            scope.Error(statement, 1, "'use_backend' expects a backend name");
            return;
        }

        if (words[0].Contains("%[", StringComparison.Ordinal))
        {
            scope.Report(statement, 1, "use_backend", FindingSeverity.Unsupported,
                "unsupported: a backend name computed from a log-format expression is not in the Ballast model yet");
            return;
        }

        Condition? condition = null;
        if (words.Length > 1
            && (!Parse(scope, statement, HaproxyRules.TryParseCondition(words[1..], out condition, out var error, out var at), error, at < 0 ? -1 : at + 1)
                || !Fits(scope, statement, FetchCheck.Find(condition)) || !Known(draft, statement, condition)))
        {
            return;
        }

        draft.Rules.UseBackends.Add(new UseBackendRule { Backend = words[0], Condition = condition });
        draft.Rules.UseBackendSources.Add(new(words[0], statement.Line, statement.ColumnOf(1)));
        Mapped(draft, statement, $"use_backend {words[0]}");
    }

    private static void MapStick(ProxyDraft draft, ConfigStatement statement)
    {
        if (statement[1] != "on" || statement[2] != "src" || statement.Count > 3)
        {
            var at = statement[1] != "on" ? 1 : statement[2] != "src" ? 2 : 3;
            draft.Scope.Report(statement, at, KeywordNames.Of(statement), FindingSeverity.Unsupported,
                $"unsupported: only 'stick on src' (without table or condition) is in the Ballast model yet; '{statement[at]}' is not");
            return;
        }

        Replace(draft, statement, draft.Rules.StickOn.Length > 0, "stick on");
        draft.Rules.StickOn = "src";
        Mapped(draft, statement, "stick on src");
    }

    /// <summary>Reports a failed parse at the offending word (<paramref name="at"/> counts from the word after the keyword).</summary>
    private static bool Parse(SectionScope scope, ConfigStatement statement, bool parsed, string error, int at)
    {
        if (parsed)
        {
            return true;
        }

        var reason = error.StartsWith("unsupported", StringComparison.Ordinal) ? $"unsupported: {error["unsupported".Length..].TrimStart(':', ' ')}" : $"unsupported: {error}";
        scope.Report(statement, at < 0 ? 0 : at + 1, KeywordNames.Of(statement), FindingSeverity.Unsupported, $"{reason}; the line is not imported");
        return false;
    }

    /// <summary>Reports a fetch the model does not hold, at the first word naming it.</summary>
    private static bool Fits(SectionScope scope, ConfigStatement statement, (string Fetch, string Reason)? unfit)
    {
        if (unfit is not { } found)
        {
            return true;
        }

        var at = statement.Words.Select((w, i) => (w.Text, i)).Skip(1)
            .FirstOrDefault(w => w.Text == found.Fetch || w.Text.StartsWith(found.Fetch + "(", StringComparison.Ordinal)).i;
        scope.Report(statement, at, KeywordNames.Of(statement), FindingSeverity.Unsupported, $"{found.Reason}; the line is not imported");
        return false;
    }

    /// <summary>Reports a condition naming an ACL that this section has not declared (or that was not imported).</summary>
    private static bool Known(ProxyDraft draft, ConfigStatement statement, Condition? condition)
    {
        var missing = condition?.Any.SelectMany(g => g.Terms).Select(t => t.Acl)
            .FirstOrDefault(name => name.Length > 0 && !FetchCatalog.Predefined.Contains(name) && !draft.Rules.Acls.Any(a => a.Name == name));
        if (missing is null)
        {
            return true;
        }

        var at = statement.Words.Select((w, i) => (w.Text, i)).Skip(1).FirstOrDefault(w => w.Text == missing || w.Text == "!" + missing).i;
        draft.Scope.Report(statement, at, KeywordNames.Of(statement), FindingSeverity.Unsupported,
            $"unsupported: ACL '{missing}' is not declared before this line in the section, or was not imported; the line is not imported");
        return false;
    }

    private static void Replace(ProxyDraft draft, ConfigStatement statement, bool earlier, string what)
    {
        if (earlier)
        {
            draft.Scope.Report(statement, FindingSeverity.Warning, $"a second '{what}' in the section replaces the earlier one");
        }
    }

    private static void Mapped(ProxyDraft draft, ConfigStatement statement, string what) =>
        draft.Scope.Mapped(statement, $"{draft.Scope.Name}: {what}");
}
