using Ballast.HaproxyConfig.Rules;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Validation;

/// <summary>Rules of an <c>if</c>/<c>unless</c> condition, as the data plane's <c>RuleCompiler.CompileCondition</c>.</summary>
internal static class ConditionRules
{
    /// <summary>
    /// Every term names an ACL of the same frontend/backend or a predefined one, anonymous ACLs are valid, and
    /// <c>status</c> is only used by http-response rules.
    /// </summary>
    /// <param name="condition">The condition, or null (always).</param>
    /// <param name="acls">Valid ACL names, with whether they fetch <c>status</c>.</param>
    /// <param name="obj">Object label.</param>
    /// <param name="field">Field, e.g. <c>useBackends[2]</c>.</param>
    /// <param name="response">Whether the rule is an http-response rule.</param>
    /// <param name="errors">Where errors are added.</param>
    public static void Validate(Condition? condition, IReadOnlyDictionary<string, bool> acls, string obj, string field, bool response, List<ValidationError> errors)
    {
        if (condition is null)
        {
            return;
        }

        var keyword = condition.Unless ? "unless" : "if";
        foreach (var group in condition.Any)
        {
            if (group.Terms.Count == 0)
            {
                errors.Add(new(obj, field, $"{keyword}: empty condition group (nothing around 'or')"));
            }

            foreach (var term in group.Terms)
            {
                bool usesStatus;
                if (term.Inline is not null)
                {
                    if (!AclRules.Validate(term.Inline, obj, field, $"{keyword}: {{ {term.Inline.Fetch} }}: ", errors))
                    {
                        continue;
                    }

                    usesStatus = term.Inline.Fetch == "status";
                }
                else if (acls.TryGetValue(term.Acl, out var status))
                {
                    usesStatus = status;
                }
                else if (FetchCatalog.Predefined.Contains(term.Acl))
                {
                    usesStatus = false;
                }
                else
                {
                    errors.Add(new(obj, field, $"{keyword}: unknown ACL '{term.Acl}'"));
                    continue;
                }

                if (usesStatus && !response)
                {
                    var name = term.Inline is null ? $"ACL '{term.Acl}'" : "an anonymous ACL";
                    errors.Add(new(obj, field, $"{keyword}: {name} uses 'status', which only exists in http-response rules"));
                }
            }
        }
    }
}
