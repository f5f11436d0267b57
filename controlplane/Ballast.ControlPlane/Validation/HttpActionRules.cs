using Ballast.HaproxyConfig.Rules;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Validation;

/// <summary>Rules of one <c>http-request</c>/<c>http-response</c> action, as the data plane's <c>RuleCompiler.CompileRule</c>.</summary>
internal static class HttpActionRules
{
    /// <summary>Statuses nodes have an error page for (<c>deny_status</c>), as HAProxy's built-in pages.</summary>
    public static readonly IReadOnlyList<int> DenyStatuses = [200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 425, 429, 500, 501, 502, 503, 504];

    /// <summary>Validates <paramref name="rule"/>.</summary>
    /// <param name="rule">The rule.</param>
    /// <param name="table">The stick table of its frontend/backend, or null.</param>
    /// <param name="obj">Object label.</param>
    /// <param name="field">Field, e.g. <c>httpRequest[0]</c>.</param>
    /// <param name="response">Whether it is an http-response rule.</param>
    /// <param name="errors">Where errors are added.</param>
    public static void Validate(HttpRule rule, StickTable? table, string obj, string field, bool response, List<ValidationError> errors)
    {
        void Error(string message) => errors.Add(new(obj, field, message));

        if (!Enum.IsDefined(rule.Action))
        {
            Error($"unknown action {(int)rule.Action}");
            return;
        }

        var name = HaproxyRules.ActionName(rule.Action);
        if (response && !NodeSupport.HttpResponseActions.Contains(rule.Action))
        {
            Error($"{name} is not supported in http-response (supported: set-header, add-header, del-header, allow)");
            return;
        }

        if (rule.Value.Contains("%[", StringComparison.Ordinal))
        {
            Error($"{name}: sample expressions (%[...]) in formats are not supported; use a literal");
            return;
        }

        switch (rule.Action)
        {
            case HttpAction.Deny when !DenyStatuses.Contains(rule.Status == 0 ? 403 : (int)rule.Status):
                Error($"deny_status {rule.Status} has no HAProxy error page (supported: {string.Join(", ", DenyStatuses)})");
                break;
            case HttpAction.Redirect when rule.Status != 0 && rule.Status is not (301 or 302 or 303 or 307 or 308):
                Error($"redirect code {rule.Status} is not supported (301, 302, 303, 307, 308)");
                break;
            case HttpAction.Redirect when rule.Value.Length == 0 || RuleSyntax.ContainsControlOrSpace(rule.Value) || !Enum.IsDefined(rule.RedirectType):
                Error("redirect needs location, prefix or scheme and a value without spaces");
                break;
            case HttpAction.Return when rule.Status != 0 && rule.Status is < 200 or > 599:
                Error($"return status {rule.Status} is out of range (200-599)");
                break;
            case HttpAction.Return when RuleSyntax.ContainsControl(rule.ContentType):
                Error("return content-type contains control characters");
                break;
            case HttpAction.SetHeader or HttpAction.AddHeader or HttpAction.DelHeader when rule.Name.Length == 0 || !RuleSyntax.IsToken(rule.Name):
                Error($"{name}: invalid header name '{rule.Name}'");
                break;
            case HttpAction.SetHeader or HttpAction.AddHeader or HttpAction.DelHeader when RuleSyntax.ContainsControl(rule.Value):
                Error($"{name}: the value contains control characters");
                break;
            case HttpAction.SetPath when rule.Value.Length == 0 || RuleSyntax.ContainsControlOrSpace(rule.Value) || rule.Value.Contains('?', StringComparison.Ordinal):
                Error($"set-path: invalid path '{rule.Value}' (non-empty, no spaces or '?')");
                break;
            case HttpAction.ReplacePath when RuleSyntax.ContainsControlOrSpace(rule.Value) || rule.Value.Contains('?', StringComparison.Ordinal):
                Error($"replace-path: invalid format '{rule.Value}'");
                break;
            case HttpAction.ReplacePath when !RuleSyntax.TryCompileRegex(rule.Regex, false, out var regexError):
                Error($"replace-path: invalid regular expression '{rule.Regex}': {regexError}");
                break;
            case HttpAction.TrackSc0:
                ValidateTrack(rule, table, Error);
                break;
        }
    }

    private static void ValidateTrack(HttpRule rule, StickTable? table, Action<string> error)
    {
        var fetch = rule.Fetch.Length == 0 ? "src" : rule.Fetch;
        if (table is null)
        {
            error("track-sc0 needs a stickTable in the same frontend/backend");
        }
        else if (fetch == "src" && rule.FetchArg.Length == 0)
        {
            if (table.Type != StickTableType.Ip)
            {
                error("track-sc0 src needs a stickTable of type ip");
            }
        }
        else if (fetch is "req.hdr" or "hdr" && rule.FetchArg.Length > 0 && RuleSyntax.IsToken(rule.FetchArg))
        {
            if (table.Type != StickTableType.String)
            {
                error($"track-sc0 {fetch}({rule.FetchArg}) needs a stickTable of type string");
            }
        }
        else
        {
            error($"track-sc0: unsupported key '{fetch}{(rule.FetchArg.Length > 0 ? $"({rule.FetchArg})" : string.Empty)}' (supported: src, req.hdr(<name>))");
        }
    }
}
