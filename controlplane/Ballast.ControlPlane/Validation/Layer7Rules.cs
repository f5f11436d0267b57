using Ballast.ControlPlane.Model;
using Ballast.HaproxyConfig.Rules;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Validation;

/// <summary>
/// Rules of the layer-7 settings (ACLs, conditions, <c>use_backend</c>, <c>http-request</c>/<c>http-response</c>,
/// stick tables, cookie and stick-on persistence), the same as the data plane's <c>Rules/RuleCompiler</c> so that no
/// published version is NACKed for them. Errors name the admin API field and index (<c>useBackends[2]</c>,
/// <c>httpRequest[0]</c>) and the word, e.g. <c>if: unknown ACL 'is_api'</c>.
/// </summary>
internal static class Layer7Rules
{
    /// <summary>Largest stick-table <c>size</c> nodes accept.</summary>
    public const uint MaxTableSize = 1 << 24;

    /// <summary>Field rules of a frontend's layer-7 settings (use_backend targets are checked by <see cref="ValidateReferences"/>).</summary>
    public static void ValidateFrontend(Frontend frontend, string obj, List<ValidationError> errors)
    {
        var hasRules = frontend.Acls.Count > 0 || frontend.UseBackends.Count > 0 || frontend.HttpRequest.Count > 0
            || frontend.HttpResponse.Count > 0 || frontend.StickTable is not null;
        if (frontend.Mode == Mode.Tcp && hasRules)
        {
            errors.Add(new(obj, "mode", "acls, useBackends, httpRequest, httpResponse and stickTable need mode http (nodes do not implement mode tcp content switching)"));
            return;
        }

        ValidateTable(frontend.StickTable, obj, errors);
        var acls = ValidateAcls(frontend.Acls, obj, errors);
        for (var i = 0; i < frontend.UseBackends.Count; i++)
        {
            var rule = frontend.UseBackends[i];
            var field = $"useBackends[{i}]";
            if (rule.Backend.Length == 0)
            {
                errors.Add(new(obj, field, "must name a backend"));
            }

            ConditionRules.Validate(rule.Condition, acls, obj, field, response: false, errors);
        }

        ValidateRules(frontend.HttpRequest, acls, frontend.StickTable, obj, "httpRequest", response: false, errors);
        ValidateRules(frontend.HttpResponse, acls, frontend.StickTable, obj, "httpResponse", response: true, errors);
    }

    /// <summary>The backends of a frontend's <c>use_backend</c> rules exist and have its mode.</summary>
    public static void ValidateReferences(Frontend frontend, IReadOnlyDictionary<string, Backend> backends, string obj, List<ValidationError> errors)
    {
        for (var i = 0; i < frontend.UseBackends.Count; i++)
        {
            var name = frontend.UseBackends[i].Backend;
            if (name.Length == 0)
            {
                continue;
            }

            if (!backends.TryGetValue(name, out var target))
            {
                errors.Add(new(obj, $"useBackends[{i}]", $"backend '{name}' does not exist"));
            }
            else if (target.Mode != frontend.Mode)
            {
                errors.Add(new(obj, $"useBackends[{i}]",
                    $"backend '{name}' is mode {HaproxyWords.ToWord(target.Mode)} but the frontend is mode {HaproxyWords.ToWord(frontend.Mode)}"));
            }
        }
    }

    /// <summary>Field rules of a backend's layer-7 settings and persistence, server cookie values included.</summary>
    public static void ValidateBackend(Backend backend, string obj, List<ValidationError> errors)
    {
        var hasRules = backend.Acls.Count > 0 || backend.HttpRequest.Count > 0 || backend.HttpResponse.Count > 0
            || backend.Cookie is not null || backend.StickTable is not null || backend.StickOn.Length > 0;
        if (backend.Mode == Mode.Tcp && hasRules)
        {
            errors.Add(new(obj, "mode", "acls, httpRequest, httpResponse, cookie, stickTable and stickOn need mode http (nodes do not implement them in mode tcp)"));
        }
        else
        {
            ValidateTable(backend.StickTable, obj, errors);
            var acls = ValidateAcls(backend.Acls, obj, errors);
            ValidateRules(backend.HttpRequest, acls, backend.StickTable, obj, "httpRequest", response: false, errors);
            ValidateRules(backend.HttpResponse, acls, backend.StickTable, obj, "httpResponse", response: true, errors);
            ValidateStickOn(backend, obj, errors);
            if (backend.Cookie is { } cookie && (cookie.Name.Length is 0 or > 64 || !RuleSyntax.IsToken(cookie.Name)))
            {
                errors.Add(new(obj, "cookie", $"invalid name '{cookie.Name}' (expected a token of 1-64 characters)"));
            }
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < backend.Servers.Count; i++)
        {
            var server = backend.Servers[i];
            if (server.Cookie.Length > 0 && RuleSyntax.IsName(server.Cookie) && !values.TryAdd(server.Cookie, server.Name))
            {
                errors.Add(new(ConfigValidator.ServerObject(backend.Name, server, i), "cookie", $"'{server.Cookie}' is already the cookie of server '{values[server.Cookie]}'"));
            }
        }
    }

    /// <summary>Field rule of a server's <c>cookie</c> value.</summary>
    public static void ValidateServer(Server server, string obj, List<ValidationError> errors)
    {
        if (server.Cookie.Length > 0 && !RuleSyntax.IsName(server.Cookie))
        {
            errors.Add(new(obj, "cookie", $"must be 1-64 characters of A-Z a-z 0-9 _ . : - (got '{server.Cookie}')"));
        }
    }

    private static void ValidateStickOn(Backend backend, string obj, List<ValidationError> errors)
    {
        if (backend.StickOn.Length == 0)
        {
            return;
        }

        if (!NodeSupport.StickOnPatterns.Contains(backend.StickOn))
        {
            errors.Add(new(obj, "stickOn", $"'{backend.StickOn}' is not supported by nodes (supported: {string.Join(", ", NodeSupport.StickOnPatterns)})"));
        }
        else if (backend.StickTable is null)
        {
            errors.Add(new(obj, "stickOn", "stick on src needs a stickTable"));
        }
        else if (backend.StickTable.Type != StickTableType.Ip)
        {
            errors.Add(new(obj, "stickOn", "stick on src needs a stickTable of type ip"));
        }
    }

    private static void ValidateTable(StickTable? table, string obj, List<ValidationError> errors)
    {
        if (table is null)
        {
            return;
        }

        if (!Enum.IsDefined(table.Type))
        {
            errors.Add(new(obj, "stickTable", $"unknown type {(int)table.Type} (expected ip or string)"));
        }

        if (table.Size is 0 or > MaxTableSize)
        {
            errors.Add(new(obj, "stickTable", $"size {table.Size} is out of range (1-{MaxTableSize})"));
        }

        if (table.ExpireMs > ConfigValidator.MaxTimeoutMs || table.HttpReqRatePeriodMs > ConfigValidator.MaxTimeoutMs
            || table.ConnRatePeriodMs > ConfigValidator.MaxTimeoutMs)
        {
            errors.Add(new(obj, "stickTable", $"expire or a rate period is out of range (0-{ConfigValidator.MaxTimeoutMs} ms)"));
        }
    }

    /// <summary>Validates named ACLs; answers the valid names, each with whether one of its declarations fetches <c>status</c>.</summary>
    private static Dictionary<string, bool> ValidateAcls(IList<Acl> acls, string obj, List<ValidationError> errors)
    {
        var names = new Dictionary<string, bool>(StringComparer.Ordinal);
        for (var i = 0; i < acls.Count; i++)
        {
            var acl = acls[i];
            var field = $"acls[{i}]";
            if (!RuleSyntax.IsName(acl.Name))
            {
                errors.Add(new(obj, field, $"invalid name '{acl.Name}' (expected 1-64 characters of A-Z a-z 0-9 _ . : -)"));
                continue;
            }

            if (AclRules.Validate(acl, obj, field, string.Empty, errors))
            {
                names[acl.Name] = names.GetValueOrDefault(acl.Name) || acl.Fetch == "status";
            }
        }

        return names;
    }

    private static void ValidateRules(IList<HttpRule> rules, IReadOnlyDictionary<string, bool> acls, StickTable? table, string obj, string field, bool response, List<ValidationError> errors)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            var at = $"{field}[{i}]";
            ConditionRules.Validate(rules[i].Condition, acls, obj, at, response, errors);
            HttpActionRules.Validate(rules[i], table, obj, at, response, errors);
        }
    }
}
