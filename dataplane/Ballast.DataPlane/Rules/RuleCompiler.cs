using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Ballast.DataPlane.Config;
using Ballast.DataPlane.StickTables;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Rules;

/// <summary>
/// Compiles the layer-7 configuration of frontends and backends (ACLs, conditions, <c>use_backend</c>,
/// <c>http-request</c>/<c>http-response</c>, stick tables, cookie persistence) into <see cref="ProxyRules"/>, and is
/// the one place that decides whether that configuration is valid: <see cref="SnapshotValidator"/> calls the same
/// code with an error list, so what validates always compiles. Regular expressions are built here, once per
/// snapshot (non-backtracking when the pattern allows it, otherwise with a 100 ms match timeout).
/// </summary>
internal static class RuleCompiler
{
    /// <summary>Largest stick-table <c>size</c> accepted.</summary>
    public const uint MaxTableSize = 1 << 24;

    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Validates the rules of a frontend.</summary>
    /// <param name="frontend">The frontend.</param>
    /// <param name="backends">Backends by name.</param>
    /// <param name="errors">Where errors are added, prefixed <c>frontend '&lt;name&gt;'</c>.</param>
    public static void ValidateFrontend(V1.Frontend frontend, IReadOnlyDictionary<string, V1.Backend> backends, List<string> errors)
    {
        var where = $"frontend '{frontend.Name}'";
        if (frontend.Mode == V1.Mode.Tcp && HasRules(frontend))
        {
            errors.Add($"{where}: acl, use_backend, http-request, http-response and stick-table need mode http (mode tcp content switching is not implemented)");
            return;
        }

        var table = ValidateTable(frontend.StickTable, where, errors);
        var acls = CompileAcls(frontend.Acls, where, errors);
        for (var i = 0; i < frontend.UseBackends.Count; i++)
        {
            var rule = frontend.UseBackends[i];
            var at = $"{where} use_backend[{i}]";
            if (!backends.TryGetValue(rule.Backend, out var target))
            {
                errors.Add($"{at}: backend '{rule.Backend}' does not exist");
            }
            else if (target.Mode != frontend.Mode)
            {
                errors.Add($"{at}: backend '{rule.Backend}' has another mode than the frontend");
            }

            CompileCondition(rule.Condition, acls, at, errors, response: false);
        }

        CompileRules(frontend.HttpRequest, acls, table, $"{where} http-request", errors, response: false);
        CompileRules(frontend.HttpResponse, acls, table, $"{where} http-response", errors, response: true);
    }

    /// <summary>Validates the rules and persistence of a backend.</summary>
    /// <param name="backend">The backend.</param>
    /// <param name="errors">Where errors are added, prefixed <c>backend '&lt;name&gt;'</c>.</param>
    public static void ValidateBackend(V1.Backend backend, List<string> errors)
    {
        var where = $"backend '{backend.Name}'";
        var hasRules = backend.Acls.Count > 0 || backend.HttpRequest.Count > 0 || backend.HttpResponse.Count > 0
            || backend.Cookie is not null || backend.StickTable is not null || backend.StickOn.Length > 0;
        if (backend.Mode == V1.Mode.Tcp && hasRules)
        {
            errors.Add($"{where}: acl, http-request, http-response, cookie, stick-table and stick on need mode http (not implemented in mode tcp)");
            return;
        }

        var table = ValidateTable(backend.StickTable, where, errors);
        var acls = CompileAcls(backend.Acls, where, errors);
        CompileRules(backend.HttpRequest, acls, table, $"{where} http-request", errors, response: false);
        CompileRules(backend.HttpResponse, acls, table, $"{where} http-response", errors, response: true);
        if (backend.StickOn.Length > 0)
        {
            if (backend.StickOn != "src")
            {
                errors.Add($"{where}: stick on '{backend.StickOn}' is not supported (supported: src)");
            }
            else if (table is null)
            {
                errors.Add($"{where}: stick on src needs a stick-table");
            }
            else if (table.Type != V1.StickTableType.Ip)
            {
                errors.Add($"{where}: stick on src needs a stick-table of type ip");
            }
        }

        if (backend.Cookie is { } cookie)
        {
            if (!IsToken(cookie.Name) || cookie.Name.Length is 0 or > 64)
            {
                errors.Add($"{where}: cookie: invalid name '{cookie.Name}' (expected a token of 1-64 characters)");
            }

            if (!Enum.IsDefined(cookie.Mode))
            {
                errors.Add($"{where}: cookie: unknown mode {(int)cookie.Mode} (expected insert, rewrite or prefix)");
            }
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var server in backend.Servers)
        {
            if (server.Cookie.Length == 0)
            {
                continue;
            }

            if (!SnapshotValidator.IsValidName(server.Cookie))
            {
                errors.Add($"{where} server '{server.Name}': invalid cookie '{server.Cookie}' (expected 1-64 characters of [A-Za-z0-9_.:-])");
            }
            else if (!values.TryAdd(server.Cookie, server.Name))
            {
                errors.Add($"{where} server '{server.Name}': cookie '{server.Cookie}' is already used by server '{values[server.Cookie]}'");
            }
        }
    }

    /// <summary>Compiles a frontend's rules; null when it has none and its default backend has none either.</summary>
    /// <param name="frontend">A validated frontend.</param>
    /// <param name="backends">Backends of the new model by name.</param>
    /// <param name="previous">The frontend's rules in the previous model (its stick table is carried over).</param>
    /// <param name="timeProvider">Clock of stick tables.</param>
    public static ProxyRules? CompileFrontend(V1.Frontend frontend, IReadOnlyDictionary<string, BackendRuntime> backends, ProxyRules? previous, TimeProvider timeProvider)
    {
        if (!HasRules(frontend))
        {
            return backends.TryGetValue(frontend.DefaultBackend, out var fallback) && fallback.Rules is not null ? ProxyRules.None : null;
        }

        var table = frontend.StickTable is null ? null : StickTable.CarryOver(previous?.Table, frontend.StickTable, timeProvider);
        var acls = CompileAcls(frontend.Acls, string.Empty, null);
        var useBackends = new List<UseBackendRuntime>(frontend.UseBackends.Count);
        foreach (var rule in frontend.UseBackends)
        {
            if (backends.TryGetValue(rule.Backend, out var target))
            {
                useBackends.Add(new UseBackendRuntime(target, CompileCondition(rule.Condition, acls, string.Empty, null, response: false)));
            }
        }

        return new ProxyRules
        {
            Table = table,
            UseBackends = [.. useBackends],
            Request = CompileRules(frontend.HttpRequest, acls, table, string.Empty, null, response: false),
            Response = CompileRules(frontend.HttpResponse, acls, table, string.Empty, null, response: true),
        };
    }

    /// <summary>Compiles a backend's rules and persistence; null when it has none.</summary>
    /// <param name="backend">A validated backend.</param>
    /// <param name="servers">Its servers in the new model.</param>
    /// <param name="previous">Its rules in the previous model (the stick table is carried over).</param>
    /// <param name="timeProvider">Clock of stick tables.</param>
    public static ProxyRules? CompileBackend(V1.Backend backend, ImmutableArray<ServerRuntime> servers, ProxyRules? previous, TimeProvider timeProvider)
    {
        if (backend.Acls.Count == 0 && backend.HttpRequest.Count == 0 && backend.HttpResponse.Count == 0
            && backend.Cookie is null && backend.StickTable is null)
        {
            return null;
        }

        var table = backend.StickTable is null ? null : StickTable.CarryOver(previous?.Table, backend.StickTable, timeProvider);
        var acls = CompileAcls(backend.Acls, string.Empty, null);
        var byCookie = new Dictionary<string, ServerRuntime>(StringComparer.Ordinal);
        var byName = new Dictionary<string, ServerRuntime>(StringComparer.Ordinal);
        for (var i = 0; i < servers.Length; i++)
        {
            byName[servers[i].Name] = servers[i];
            if (backend.Servers[i].Cookie.Length > 0)
            {
                byCookie[backend.Servers[i].Cookie] = servers[i];
            }
        }

        var cookie = backend.Cookie;
        return new ProxyRules
        {
            Table = table,
            Request = CompileRules(backend.HttpRequest, acls, table, string.Empty, null, response: false),
            Response = CompileRules(backend.HttpResponse, acls, table, string.Empty, null, response: true),
            Cookie = cookie is null ? null : new CookieSettings(cookie.Name, cookie.Mode, cookie.Indirect, cookie.Nocache, cookie.Httponly, cookie.Secure),
            ServersByCookie = byCookie.ToFrozenDictionary(StringComparer.Ordinal),
            StickOnSource = backend.StickOn == "src" && table is not null,
            ServersByName = byName.ToFrozenDictionary(StringComparer.Ordinal),
        };
    }

    private static bool HasRules(V1.Frontend frontend) =>
        frontend.Acls.Count > 0 || frontend.UseBackends.Count > 0 || frontend.HttpRequest.Count > 0
        || frontend.HttpResponse.Count > 0 || frontend.StickTable is not null;

    private static V1.StickTable? ValidateTable(V1.StickTable? table, string where, List<string> errors)
    {
        if (table is null)
        {
            return null;
        }

        if (!Enum.IsDefined(table.Type))
        {
            errors.Add($"{where} stick-table: unknown type {(int)table.Type} (expected ip or string)");
        }

        if (table.Size is 0 or > MaxTableSize)
        {
            errors.Add($"{where} stick-table: size {table.Size} is out of range (1-{MaxTableSize})");
        }

        if (table.ExpireMs > SnapshotValidator.MaxTimeoutMs || table.HttpReqRatePeriodMs > SnapshotValidator.MaxTimeoutMs
            || table.ConnRatePeriodMs > SnapshotValidator.MaxTimeoutMs)
        {
            errors.Add($"{where} stick-table: expire or a rate period is out of range (0-{SnapshotValidator.MaxTimeoutMs} ms)");
        }

        return table;
    }

    private static Dictionary<string, AclMatcher[]> CompileAcls(IList<V1.Acl> acls, string where, List<string>? errors)
    {
        var result = new Dictionary<string, AclMatcher[]>(StringComparer.Ordinal);
        foreach (var acl in acls)
        {
            var at = $"{where} acl '{acl.Name}'";
            if (!SnapshotValidator.IsValidName(acl.Name))
            {
                errors?.Add($"{at}: invalid name (expected 1-64 characters of [A-Za-z0-9_.:-])");
                continue;
            }

            var matcher = CompileAcl(acl, at, errors);
            if (matcher is not null)
            {
                result[acl.Name] = result.TryGetValue(acl.Name, out var existing) ? [.. existing, matcher] : [matcher];
            }
        }

        return result;
    }

    /// <summary>Compiles one ACL; null (with errors) when it is invalid.</summary>
    /// <param name="acl">The ACL.</param>
    /// <param name="at">Error prefix.</param>
    /// <param name="errors">Errors, or null when the ACL was validated already.</param>
    public static AclMatcher? CompileAcl(V1.Acl acl, string at, List<string>? errors)
    {
        if (acl.Fetch is "TRUE" or "FALSE")
        {
            return new AclMatcher(acl.Name, FetchKind.Constant, string.Empty, MatchKind.Int, false, [], [], [new IntPattern(acl.Fetch == "TRUE" ? 1 : 0, 0)], []);
        }

        if (!FetchCatalog.Fetches.TryGetValue(acl.Fetch, out var info))
        {
            errors?.Add($"{at}: unknown fetch '{acl.Fetch}'");
            return null;
        }

        var ok = true;
        switch (info.Argument)
        {
            case FetchArgument.Name when acl.FetchArg.Length == 0 || ContainsControlOrSpace(acl.FetchArg):
                errors?.Add($"{at}: {acl.Fetch} needs a name argument, as {acl.Fetch}(<name>)");
                ok = false;
                break;
            case FetchArgument.Counter when acl.FetchArg != "0":
                errors?.Add($"{at}: {acl.Fetch}({acl.FetchArg}): only sticky counter 0 is supported (track-sc0)");
                ok = false;
                break;
            case FetchArgument.None when acl.FetchArg.Length > 0:
                errors?.Add($"{at}: {acl.Fetch} takes no argument (got '{acl.FetchArg}')");
                ok = false;
                break;
        }

        MatchKind match;
        var isString = FetchCatalog.IsString(info.Kind);
        var defaultMatch = info.Implied ?? (isString ? MatchKind.Str : info.Kind == FetchKind.Source ? MatchKind.Ip : MatchKind.Int);
        if (acl.Match == V1.AclMatch.Default)
        {
            match = defaultMatch;
        }
        else
        {
            match = ToMatchKind(acl.Match);
            if (!Enum.IsDefined(acl.Match))
            {
                errors?.Add($"{at}: unknown match method {(int)acl.Match}");
                return null;
            }

            var allowed = info.Implied is { } implied
                ? match == implied || match == MatchKind.Found
                : isString ? match is not MatchKind.Ip
                : info.Kind == FetchKind.Source ? match is MatchKind.Ip or MatchKind.Found
                : match is MatchKind.Int or MatchKind.Found;
            if (!allowed)
            {
                errors?.Add($"{at}: -m {MatchName(match)} cannot be used with {acl.Fetch}");
                return null;
            }
        }

        if (match == MatchKind.Found && acl.Patterns.Count > 0)
        {
            errors?.Add($"{at}: -m found takes no pattern");
            ok = false;
        }

        if (match != MatchKind.Found && acl.Patterns.Count == 0 && acl.Name.Length == 0)
        {
            errors?.Add($"{at}: no pattern");
            ok = false;
        }

        var strings = new List<string>();
        var regexes = new List<Regex>();
        var integers = new List<IntPattern>();
        var networks = new List<IpNetwork>();
        switch (match)
        {
            case MatchKind.Reg:
                foreach (var pattern in acl.Patterns)
                {
                    if (TryCompileRegex(pattern, acl.CaseInsensitive, out var regex, out var error))
                    {
                        regexes.Add(regex);
                    }
                    else
                    {
                        errors?.Add($"{at}: invalid regular expression '{pattern}': {error}");
                        ok = false;
                    }
                }

                break;
            case MatchKind.Int:
                ok &= ParseIntegers(acl.Patterns, integers, at, errors);
                break;
            case MatchKind.Ip:
                foreach (var pattern in acl.Patterns)
                {
                    if (TryParseNetwork(pattern, out var network))
                    {
                        networks.Add(network);
                    }
                    else
                    {
                        errors?.Add($"{at}: invalid address or network '{pattern}'");
                        ok = false;
                    }
                }

                break;
            case MatchKind.Found:
                break;
            default:
                strings.AddRange(acl.Patterns);
                break;
        }

        return ok ? new AclMatcher(acl.Name, info.Kind, acl.FetchArg, match, acl.CaseInsensitive, [.. strings], [.. regexes], [.. integers], [.. networks]) : null;
    }

    private static CompiledCondition? CompileCondition(V1.Condition? condition, Dictionary<string, AclMatcher[]> acls, string at, List<string>? errors, bool response)
    {
        if (condition is null)
        {
            return null;
        }

        var groups = new ConditionTermRuntime[condition.Any.Count][];
        for (var g = 0; g < condition.Any.Count; g++)
        {
            var terms = condition.Any[g].Terms;
            if (terms.Count == 0)
            {
                errors?.Add($"{at}: {(condition.Unless ? "unless" : "if")}: empty condition group (nothing around 'or')");
            }

            var compiled = new List<ConditionTermRuntime>(terms.Count);
            foreach (var term in terms)
            {
                AclMatcher[]? matchers = null;
                if (term.Inline is not null)
                {
                    var inline = CompileAcl(term.Inline, $"{at}: {(condition.Unless ? "unless" : "if")}: {{ {term.Inline.Fetch} }}", errors);
                    matchers = inline is null ? null : [inline];
                }
                else if (!acls.TryGetValue(term.Acl, out matchers)
                    && FetchCatalog.Predefined.TryGetValue(term.Acl, out var predefined))
                {
                    var builtIn = CompileAcl(predefined, term.Acl, null);
                    matchers = builtIn is null ? null : [builtIn];
                }
                else if (matchers is null)
                {
                    errors?.Add($"{at}: {(condition.Unless ? "unless" : "if")}: unknown ACL '{term.Acl}'");
                }

                if (matchers is null)
                {
                    continue;
                }

                if (!response)
                {
                    foreach (var matcher in matchers)
                    {
                        if (matcher.Fetch == FetchKind.Status)
                        {
                            errors?.Add($"{at}: ACL '{term.Acl}' uses 'status', which only exists in http-response rules");
                        }
                    }
                }

                compiled.Add(new ConditionTermRuntime(matchers, term.Negate));
            }

            groups[g] = [.. compiled];
        }

        return new CompiledCondition(condition.Unless, groups);
    }

    private static HttpRuleRuntime[] CompileRules(IList<V1.HttpRule> rules, Dictionary<string, AclMatcher[]> acls, V1.StickTable? tableDefinition, string where, List<string>? errors, bool response)
    {
        return CompileRules(rules, acls, null, tableDefinition, where, errors, response);
    }

    private static HttpRuleRuntime[] CompileRules(IList<V1.HttpRule> rules, Dictionary<string, AclMatcher[]> acls, StickTable? table, string where, List<string>? errors, bool response)
    {
        return CompileRules(rules, acls, table, table?.Definition, where, errors, response);
    }

    private static HttpRuleRuntime[] CompileRules(IList<V1.HttpRule> rules, Dictionary<string, AclMatcher[]> acls, StickTable? table, V1.StickTable? tableDefinition, string where, List<string>? errors, bool response)
    {
        var result = new List<HttpRuleRuntime>(rules.Count);
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var at = $"{where}[{i}]";
            var condition = CompileCondition(rule.Condition, acls, at, errors, response);
            var compiled = CompileRule(rule, condition, table, tableDefinition, at, errors, response);
            if (compiled is not null)
            {
                result.Add(compiled);
            }
        }

        return [.. result];
    }

    private static HttpRuleRuntime? CompileRule(V1.HttpRule rule, CompiledCondition? condition, StickTable? table, V1.StickTable? tableDefinition, string at, List<string>? errors, bool response)
    {
        var action = rule.Action;
        if (!Enum.IsDefined(action))
        {
            errors?.Add($"{at}: unknown action {(int)action}");
            return null;
        }

        var name = ActionName(action);
        if (response && action is not (V1.HttpAction.SetHeader or V1.HttpAction.AddHeader or V1.HttpAction.DelHeader or V1.HttpAction.Allow))
        {
            errors?.Add($"{at}: {name} is not supported in http-response (supported: set-header, add-header, del-header, allow)");
            return null;
        }

        if (rule.Value.Contains("%[", StringComparison.Ordinal))
        {
            errors?.Add($"{at}: {name}: sample expressions (%[...]) in formats are not supported; use a literal");
            return null;
        }

        switch (action)
        {
            case V1.HttpAction.Deny:
                var denyStatus = rule.Status == 0 ? 403 : (int)rule.Status;
                if (!RuleResponses.Pages.ContainsKey(denyStatus))
                {
                    errors?.Add($"{at}: deny_status {rule.Status} has no HAProxy error page (supported: {string.Join(", ", RuleResponses.Pages.Keys.Order())})");
                    return null;
                }

                return new HttpRuleRuntime { Action = action, Condition = condition, Status = denyStatus };
            case V1.HttpAction.Redirect:
                var code = rule.Status == 0 ? 302 : (int)rule.Status;
                if (code is not (301 or 302 or 303 or 307 or 308))
                {
                    errors?.Add($"{at}: redirect code {rule.Status} is not supported (301, 302, 303, 307, 308)");
                    return null;
                }

                if (rule.Value.Length == 0 || ContainsControlOrSpace(rule.Value) || !Enum.IsDefined(rule.RedirectType))
                {
                    errors?.Add($"{at}: redirect needs location, prefix or scheme and a value without spaces");
                    return null;
                }

                return new HttpRuleRuntime { Action = action, Condition = condition, Status = code, Value = rule.Value, RedirectType = rule.RedirectType };
            case V1.HttpAction.Return:
                var status = rule.Status == 0 ? 200 : (int)rule.Status;
                if (status is < 200 or > 599)
                {
                    errors?.Add($"{at}: return status {rule.Status} is out of range (200-599)");
                    return null;
                }

                if (ContainsControl(rule.ContentType))
                {
                    errors?.Add($"{at}: return content-type contains control characters");
                    return null;
                }

                var contentType = rule.ContentType.Length > 0 ? rule.ContentType : rule.Value.Length > 0 ? "text/plain" : null;
                return new HttpRuleRuntime { Action = action, Condition = condition, Status = status, ContentType = contentType, Body = Encoding.UTF8.GetBytes(rule.Value) };
            case V1.HttpAction.SetHeader:
            case V1.HttpAction.AddHeader:
            case V1.HttpAction.DelHeader:
                if (rule.Name.Length == 0 || !IsToken(rule.Name))
                {
                    errors?.Add($"{at}: {name}: invalid header name '{rule.Name}'");
                    return null;
                }

                if (ContainsControl(rule.Value))
                {
                    errors?.Add($"{at}: {name}: the value contains control characters");
                    return null;
                }

                return new HttpRuleRuntime { Action = action, Condition = condition, Name = rule.Name, Value = rule.Value };
            case V1.HttpAction.SetPath:
                if (rule.Value.Length == 0 || ContainsControlOrSpace(rule.Value) || rule.Value.Contains('?'))
                {
                    errors?.Add($"{at}: set-path: invalid path '{rule.Value}' (non-empty, no spaces or '?')");
                    return null;
                }

                return new HttpRuleRuntime { Action = action, Condition = condition, Value = rule.Value };
            case V1.HttpAction.ReplacePath:
                if (ContainsControlOrSpace(rule.Value) || rule.Value.Contains('?'))
                {
                    errors?.Add($"{at}: replace-path: invalid format '{rule.Value}'");
                    return null;
                }

                if (!TryCompileRegex(rule.Regex, false, out var regex, out var regexError))
                {
                    errors?.Add($"{at}: replace-path: invalid regular expression '{rule.Regex}': {regexError}");
                    return null;
                }

                return new HttpRuleRuntime { Action = action, Condition = condition, Regex = regex, Value = rule.Value, Replacement = ToReplacement(rule.Value) };
            case V1.HttpAction.TrackSc0:
                var fetch = rule.Fetch.Length == 0 ? "src" : rule.Fetch;
                if (tableDefinition is null)
                {
                    errors?.Add($"{at}: track-sc0 needs a stick-table in the same frontend/backend");
                    return null;
                }

                if (fetch == "src" && rule.FetchArg.Length == 0)
                {
                    if (tableDefinition.Type != V1.StickTableType.Ip)
                    {
                        errors?.Add($"{at}: track-sc0 src needs a stick-table of type ip");
                        return null;
                    }

                    return new HttpRuleRuntime { Action = action, Condition = condition, Table = table };
                }

                if (fetch is "req.hdr" or "hdr" && IsToken(rule.FetchArg) && rule.FetchArg.Length > 0)
                {
                    if (tableDefinition.Type != V1.StickTableType.String)
                    {
                        errors?.Add($"{at}: track-sc0 {fetch}({rule.FetchArg}) needs a stick-table of type string");
                        return null;
                    }

                    return new HttpRuleRuntime { Action = action, Condition = condition, Table = table, TrackHeader = rule.FetchArg };
                }

                errors?.Add($"{at}: track-sc0: unsupported key '{fetch}{(rule.FetchArg.Length > 0 ? $"({rule.FetchArg})" : string.Empty)}' (supported: src, req.hdr(<name>))");
                return null;
            default:
                return new HttpRuleRuntime { Action = action, Condition = condition };
        }
    }

    /// <summary>HAProxy's name of an action.</summary>
    /// <param name="action">The action.</param>
    public static string ActionName(V1.HttpAction action) => action switch
    {
        V1.HttpAction.Deny => "deny",
        V1.HttpAction.Redirect => "redirect",
        V1.HttpAction.Return => "return",
        V1.HttpAction.SetHeader => "set-header",
        V1.HttpAction.AddHeader => "add-header",
        V1.HttpAction.DelHeader => "del-header",
        V1.HttpAction.ReplacePath => "replace-path",
        V1.HttpAction.SetPath => "set-path",
        V1.HttpAction.TrackSc0 => "track-sc0",
        V1.HttpAction.Allow => "allow",
        _ => ((int)action).ToString(CultureInfo.InvariantCulture),
    };

    private static bool TryCompileRegex(string pattern, bool ignoreCase, out Regex regex, out string error)
    {
        var options = RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        error = string.Empty;
        try
        {
            regex = new Regex(pattern, options | RegexOptions.NonBacktracking);
            return true;
        }
        catch (NotSupportedException)
        {
            // Backreferences, lookarounds, atomic groups: backtracking engine with a match timeout.
        }
        catch (ArgumentException ex)
        {
            regex = null!;
            error = ex.Message;
            return false;
        }

        try
        {
            regex = new Regex(pattern, options, RegexTimeout);
            return true;
        }
        catch (ArgumentException ex)
        {
            regex = null!;
            error = ex.Message;
            return false;
        }
    }

    /// <summary>Converts HAProxy's replacement format (<c>\1</c>-<c>\9</c> groups) to .NET's (<c>${1}</c>, <c>$$</c>).</summary>
    /// <param name="format">HAProxy format.</param>
    public static string ToReplacement(string format)
    {
        var builder = new StringBuilder(format.Length + 8);
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c == '\\' && i + 1 < format.Length && char.IsAsciiDigit(format[i + 1]))
            {
                builder.Append("${").Append(format[i + 1]).Append('}');
                i++;
            }
            else if (c == '$')
            {
                builder.Append("$$");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static bool ParseIntegers(IList<string> patterns, List<IntPattern> result, string at, List<string>? errors)
    {
        for (var i = 0; i < patterns.Count; i++)
        {
            var word = patterns[i];
            if (word is "eq" or "ge" or "gt" or "le" or "lt")
            {
                if (i + 1 >= patterns.Count || !long.TryParse(patterns[i + 1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                {
                    errors?.Add($"{at}: '{word}' needs an integer after it");
                    return false;
                }

                result.Add(word switch
                {
                    "eq" => new IntPattern(n, n),
                    "ge" => new IntPattern(n, long.MaxValue),
                    "gt" => new IntPattern(n == long.MaxValue ? long.MaxValue : n + 1, n == long.MaxValue ? long.MinValue : long.MaxValue),
                    "le" => new IntPattern(long.MinValue, n),
                    _ => new IntPattern(long.MinValue, n == long.MinValue ? long.MinValue : n - 1),
                });
                i++;
                continue;
            }

            var colon = word.IndexOf(':');
            if (colon >= 0)
            {
                var low = word[..colon];
                var high = word[(colon + 1)..];
                if ((low.Length == 0 || long.TryParse(low, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                    && (high.Length == 0 || long.TryParse(high, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                    && word.Length > 1)
                {
                    result.Add(new IntPattern(
                        low.Length == 0 ? long.MinValue : long.Parse(low, CultureInfo.InvariantCulture),
                        high.Length == 0 ? long.MaxValue : long.Parse(high, CultureInfo.InvariantCulture)));
                    continue;
                }
            }
            else if (long.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                result.Add(new IntPattern(value, value));
                continue;
            }

            errors?.Add($"{at}: invalid integer pattern '{word}' (expected n, a:b, or eq|ge|gt|le|lt n)");
            return false;
        }

        return true;
    }

    private static bool TryParseNetwork(string text, out IpNetwork network)
    {
        network = default;
        var slash = text.IndexOf('/');
        if (slash < 0)
        {
            if (!IPAddress.TryParse(text, out var address))
            {
                return false;
            }

            network = new IpNetwork(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            return true;
        }

        if (!IPAddress.TryParse(text.AsSpan(0, slash), out var baseAddress)
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
        {
            return false;
        }

        var max = baseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        if (prefix > max)
        {
            return false;
        }

        // HAProxy masks the address with the prefix (192.168.1.10/24 = 192.168.1.0/24).
        var bytes = baseAddress.GetAddressBytes();
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        network = new IpNetwork(new IPNetwork(new IPAddress(bytes), prefix));
        return true;
    }

    private static MatchKind ToMatchKind(V1.AclMatch match) => match switch
    {
        V1.AclMatch.Beg => MatchKind.Beg,
        V1.AclMatch.End => MatchKind.End,
        V1.AclMatch.Sub => MatchKind.Sub,
        V1.AclMatch.Reg => MatchKind.Reg,
        V1.AclMatch.Found => MatchKind.Found,
        V1.AclMatch.Dir => MatchKind.Dir,
        V1.AclMatch.Dom => MatchKind.Dom,
        V1.AclMatch.Int => MatchKind.Int,
        V1.AclMatch.Ip => MatchKind.Ip,
        _ => MatchKind.Str,
    };

    private static string MatchName(MatchKind match) => match.ToString().ToLowerInvariant();

    private static bool IsToken(string value)
    {
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ContainsControl(string value)
    {
        foreach (var c in value)
        {
            if (c < ' ' || c == '\u007f')
            {
                return true;
            }
        }

        return false;
    }

    private static bool ContainsControlOrSpace(string value)
    {
        foreach (var c in value)
        {
            if (c <= ' ' || c == '\u007f')
            {
                return true;
            }
        }

        return false;
    }
}
