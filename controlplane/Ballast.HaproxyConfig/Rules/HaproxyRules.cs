using System.Diagnostics.CodeAnalysis;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Rules;

/// <summary>
/// The one reader and writer of the HAProxy text of layer-7 settings, shared by the admin API and the haproxy.cfg
/// importer/exporter: <c>acl</c>, conditions, <c>http-request</c>/<c>http-response</c> rules, <c>stick-table</c>
/// and <c>cookie</c>. Text overloads split the text with HAProxy's quoting; word overloads take the words after the
/// keyword (<c>acl</c>, <c>http-request</c>, ...). Errors name the offending word; <c>wordIndex</c> is its index in
/// the words (or -1). Formatting gives text that reads back to an equal message.
/// </summary>
public static class HaproxyRules
{
    /// <summary>Reads <c>&lt;name&gt; &lt;fetch&gt; [flags] [patterns]</c> (an <c>acl</c> line without the keyword).</summary>
    public static bool TryParseAcl(IReadOnlyList<string> words, [NotNullWhen(true)] out Acl? acl, out string error, out int wordIndex) =>
        Try(words, AclParser.ParseNamed, out acl, out error, out wordIndex);

    /// <summary>Reads an ACL from text, e.g. <c>is_api path_beg /api</c>.</summary>
    public static bool TryParseAcl(string text, [NotNullWhen(true)] out Acl? acl, out string error) =>
        TryText(text, AclParser.ParseNamed, out acl, out error);

    /// <summary>Reads a condition from the words starting with <c>if</c> or <c>unless</c>.</summary>
    public static bool TryParseCondition(IReadOnlyList<string> words, [NotNullWhen(true)] out Condition? condition, out string error, out int wordIndex) =>
        Try(words, w => ConditionParser.Parse(w, 0), out condition, out error, out wordIndex);

    /// <summary>Reads the text after <c>if</c> (or <c>unless</c> when <paramref name="unless"/>), e.g. <c>is_api !is_admin or host_www</c>.</summary>
    public static bool TryParseCondition(string text, bool unless, [NotNullWhen(true)] out Condition? condition, out string error) =>
        TryText(text, w => ConditionParser.Parse([unless ? "unless" : "if", .. w], 0), out condition, out error);

    /// <summary>Reads an <c>http-request</c>/<c>http-response</c> rule from the words after the keyword.</summary>
    public static bool TryParseHttpRule(IReadOnlyList<string> words, [NotNullWhen(true)] out HttpRule? rule, out string error, out int wordIndex) =>
        Try(words, HttpRuleParser.Parse, out rule, out error, out wordIndex);

    /// <summary>Reads a rule from text, e.g. <c>deny deny_status 429 if { sc_http_req_rate(0) gt 100 }</c>.</summary>
    public static bool TryParseHttpRule(string text, [NotNullWhen(true)] out HttpRule? rule, out string error) =>
        TryText(text, HttpRuleParser.Parse, out rule, out error);

    /// <summary>Reads a stick table from the words after <c>stick-table</c>.</summary>
    public static bool TryParseStickTable(IReadOnlyList<string> words, [NotNullWhen(true)] out StickTable? table, out string error, out int wordIndex) =>
        Try(words, PersistenceParser.ParseStickTable, out table, out error, out wordIndex);

    /// <summary>Reads a stick table from text, e.g. <c>type ip size 100k expire 30s store http_req_rate(10s),conn_cur</c>.</summary>
    public static bool TryParseStickTable(string text, [NotNullWhen(true)] out StickTable? table, out string error) =>
        TryText(text, PersistenceParser.ParseStickTable, out table, out error);

    /// <summary>Reads cookie persistence from the words after <c>cookie</c>.</summary>
    public static bool TryParseCookie(IReadOnlyList<string> words, [NotNullWhen(true)] out CookiePersistence? cookie, out string error, out int wordIndex) =>
        Try(words, PersistenceParser.ParseCookie, out cookie, out error, out wordIndex);

    /// <summary>Reads cookie persistence from text, e.g. <c>SRV insert indirect nocache httponly</c>.</summary>
    public static bool TryParseCookie(string text, [NotNullWhen(true)] out CookiePersistence? cookie, out string error) =>
        TryText(text, PersistenceParser.ParseCookie, out cookie, out error);

    /// <summary>HAProxy's keyword of an action (<c>set-header</c>), or its number when unknown.</summary>
    public static string ActionName(HttpAction action) =>
        HttpRuleParser.Actions.FirstOrDefault(a => a.Value == action).Key ?? ((int)action).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Text of an ACL, name first (without <c>acl</c>).</summary>
    public static string Format(Acl acl) => RuleWords.Join([acl.Name, .. AclParser.FormatBody(acl)]);

    /// <summary>Text of a condition after <c>if</c>/<c>unless</c> (without that word); empty for none.</summary>
    public static string FormatConditionBody(Condition? condition) => RuleWords.Join(ConditionParser.Format(condition).Skip(1));

    /// <summary>Text of a condition with its <c>if</c>/<c>unless</c>; empty for none.</summary>
    public static string Format(Condition? condition) => RuleWords.Join(ConditionParser.Format(condition));

    /// <summary>Text of an <c>http-request</c>/<c>http-response</c> rule (without the keyword).</summary>
    public static string Format(HttpRule rule) => RuleWords.Join(HttpRuleParser.Format(rule));

    /// <summary>Text of a stick table (without <c>stick-table</c>).</summary>
    public static string Format(StickTable table) => RuleWords.Join(PersistenceParser.Format(table));

    /// <summary>Text of cookie persistence (without <c>cookie</c>).</summary>
    public static string Format(CookiePersistence cookie) => RuleWords.Join(PersistenceParser.Format(cookie));

    private static bool Try<T>(IReadOnlyList<string> words, Func<IReadOnlyList<string>, T> parse, [NotNullWhen(true)] out T? value, out string error, out int wordIndex)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(words);
        try
        {
            value = parse(words);
            error = string.Empty;
            wordIndex = -1;
            return true;
        }
        catch (RuleParseException ex)
        {
            value = null;
            error = ex.Message;
            wordIndex = ex.WordIndex;
            return false;
        }
    }

    private static bool TryText<T>(string text, Func<IReadOnlyList<string>, T> parse, [NotNullWhen(true)] out T? value, out string error)
        where T : class
    {
        if (!RuleWords.TrySplit(text ?? string.Empty, out var words, out var splitError))
        {
            value = null;
            error = splitError!;
            return false;
        }

        return Try(words, parse, out value, out error, out _);
    }
}
