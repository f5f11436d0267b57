using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Rules;

/// <summary>Builders for ACLs, conditions and rules in tests.</summary>
public static class RuleBuilders
{
    public static V1.Acl Acl(string name, string fetch, string arg, params string[] patterns) =>
        new() { Name = name, Fetch = fetch, FetchArg = arg, Patterns = { patterns } };

    /// <summary>A condition: groups separated by "or", terms are ACL names with optional "!".</summary>
    public static V1.Condition If(string text, bool unless = false)
    {
        var condition = new V1.Condition { Unless = unless };
        foreach (var group in text.Split(" or "))
        {
            var g = new V1.ConditionGroup();
            foreach (var word in group.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                g.Terms.Add(word.StartsWith('!') ? new V1.ConditionTerm { Negate = true, Acl = word[1..] } : new V1.ConditionTerm { Acl = word });
            }

            condition.Any.Add(g);
        }

        return condition;
    }

    public static V1.Condition IfInline(V1.Acl acl) =>
        new() { Any = { new V1.ConditionGroup { Terms = { new V1.ConditionTerm { Inline = acl } } } } };
}
