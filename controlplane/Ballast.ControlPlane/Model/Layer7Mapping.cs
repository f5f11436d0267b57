using Ballast.ControlPlane.Validation;
using Ballast.HaproxyConfig.Rules;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Model;

/// <summary>
/// Maps the layer-7 settings between the admin API (HAProxy text: <c>acls</c>, <c>useBackends</c>,
/// <c>httpRequest</c>, <c>httpResponse</c>, <c>stickTable</c>, <c>cookie</c>, <c>stickOn</c>) and ballast.v1
/// messages with the shared <see cref="HaproxyRules"/> reader. Text that does not read is an error naming the field,
/// its index and the word (<c>httpRequest[1]: unsupported action 'tarpit' ...</c>) and is left out of the message.
/// </summary>
internal static class Layer7Mapping
{
    /// <summary>Adds the layer-7 settings of <paramref name="spec"/> to <paramref name="frontend"/>.</summary>
    public static Frontend WithLayer7(this Frontend frontend, FrontendSpec spec, string obj, List<ValidationError>? errors)
    {
        ReadAcls(spec.Acls, frontend.Acls, obj, errors);
        var useBackends = spec.UseBackends ?? [];
        for (var i = 0; i < useBackends.Count; i++)
        {
            var rule = useBackends[i];
            var field = $"useBackends[{i}]";
            if (rule is null)
            {
                errors?.Add(new(obj, field, "must be an object, not null"));
                continue;
            }

            var message = new UseBackendRule { Backend = rule.Backend ?? string.Empty };
            if (rule.If is not null && rule.Unless is not null)
            {
                errors?.Add(new(obj, field, "give 'if' or 'unless', not both"));
                continue;
            }

            if ((rule.If ?? rule.Unless) is { } text)
            {
                var unless = rule.If is null;
                if (!HaproxyRules.TryParseCondition(text, unless, out var condition, out var error))
                {
                    errors?.Add(new(obj, field, error));
                    continue;
                }

                message.Condition = condition;
            }

            frontend.UseBackends.Add(message);
        }

        ReadRules(spec.HttpRequest, frontend.HttpRequest, "httpRequest", obj, errors);
        ReadRules(spec.HttpResponse, frontend.HttpResponse, "httpResponse", obj, errors);
        frontend.StickTable = ReadStickTable(spec.StickTable, obj, errors);
        return frontend;
    }

    /// <summary>Adds the layer-7 settings of <paramref name="spec"/> to <paramref name="backend"/> (server cookies are mapped with the servers).</summary>
    public static Backend WithLayer7(this Backend backend, BackendSpec spec, string obj, List<ValidationError>? errors)
    {
        ReadAcls(spec.Acls, backend.Acls, obj, errors);
        ReadRules(spec.HttpRequest, backend.HttpRequest, "httpRequest", obj, errors);
        ReadRules(spec.HttpResponse, backend.HttpResponse, "httpResponse", obj, errors);
        backend.StickTable = ReadStickTable(spec.StickTable, obj, errors);
        backend.StickOn = spec.StickOn ?? string.Empty;
        if (!string.IsNullOrWhiteSpace(spec.Cookie))
        {
            if (HaproxyRules.TryParseCookie(spec.Cookie, out var cookie, out var error))
            {
                backend.Cookie = cookie;
            }
            else
            {
                errors?.Add(new(obj, "cookie", error));
            }
        }

        return backend;
    }

    /// <summary>Adds the layer-7 settings of <paramref name="frontend"/> to <paramref name="spec"/> as HAProxy text.</summary>
    public static FrontendSpec WithLayer7(this FrontendSpec spec, Frontend frontend) => spec with
    {
        Acls = frontend.Acls.Select(HaproxyRules.Format).ToArray(),
        UseBackends = frontend.UseBackends.Select(ToSpec).ToArray(),
        HttpRequest = frontend.HttpRequest.Select(HaproxyRules.Format).ToArray(),
        HttpResponse = frontend.HttpResponse.Select(HaproxyRules.Format).ToArray(),
        StickTable = frontend.StickTable is null ? string.Empty : HaproxyRules.Format(frontend.StickTable),
    };

    /// <summary>Adds the layer-7 settings of <paramref name="backend"/> to <paramref name="spec"/> as HAProxy text.</summary>
    public static BackendSpec WithLayer7(this BackendSpec spec, Backend backend) => spec with
    {
        Acls = backend.Acls.Select(HaproxyRules.Format).ToArray(),
        HttpRequest = backend.HttpRequest.Select(HaproxyRules.Format).ToArray(),
        HttpResponse = backend.HttpResponse.Select(HaproxyRules.Format).ToArray(),
        Cookie = backend.Cookie is null ? string.Empty : HaproxyRules.Format(backend.Cookie),
        StickTable = backend.StickTable is null ? string.Empty : HaproxyRules.Format(backend.StickTable),
        StickOn = backend.StickOn,
    };

    /// <summary>
    /// The layer-7 text of <paramref name="spec"/> as the store keeps it: each line read and written back (so GET shows
    /// one spelling); a line that does not read is kept as given.
    /// </summary>
    public static BackendSpec Canonical(BackendSpec spec)
    {
        var errors = new List<ValidationError>();
        var message = new Backend().WithLayer7(spec, string.Empty, errors);
        return errors.Count > 0 ? spec : spec.WithLayer7(message);
    }

    /// <summary>The layer-7 text of <paramref name="spec"/> as the store keeps it (see the backend overload).</summary>
    public static FrontendSpec Canonical(FrontendSpec spec)
    {
        var errors = new List<ValidationError>();
        var message = new Frontend().WithLayer7(spec, string.Empty, errors);
        return errors.Count > 0 ? spec : spec.WithLayer7(message);
    }

    private static UseBackendSpec ToSpec(UseBackendRule rule)
    {
        var text = rule.Condition is { Any.Count: > 0 } ? HaproxyRules.FormatConditionBody(rule.Condition) : null;
        var unless = rule.Condition?.Unless == true;
        return new UseBackendSpec { Backend = rule.Backend, If = unless ? null : text, Unless = unless ? text : null };
    }

    private static void ReadAcls(IReadOnlyList<string>? lines, ICollection<Acl> target, string obj, List<ValidationError>? errors)
    {
        lines ??= [];
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i] is null)
            {
                errors?.Add(new(obj, $"acls[{i}]", "must be a string, not null"));
            }
            else if (HaproxyRules.TryParseAcl(lines[i], out var acl, out var error))
            {
                target.Add(acl);
            }
            else
            {
                errors?.Add(new(obj, $"acls[{i}]", error));
            }
        }
    }

    private static void ReadRules(IReadOnlyList<string>? lines, ICollection<HttpRule> target, string field, string obj, List<ValidationError>? errors)
    {
        lines ??= [];
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i] is null)
            {
                errors?.Add(new(obj, $"{field}[{i}]", "must be a string, not null"));
            }
            else if (HaproxyRules.TryParseHttpRule(lines[i], out var rule, out var error))
            {
                target.Add(rule);
            }
            else
            {
                errors?.Add(new(obj, $"{field}[{i}]", error));
            }
        }
    }

    private static StickTable? ReadStickTable(string? text, string obj, List<ValidationError>? errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (HaproxyRules.TryParseStickTable(text, out var table, out var error))
        {
            return table;
        }

        errors?.Add(new(obj, "stickTable", error));
        return null;
    }
}
