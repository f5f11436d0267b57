namespace Ballast.DataPlane.Rules;

/// <summary>
/// One term of a condition: an ACL, possibly negated (<c>!acl</c>). A name declared on several <c>acl</c> lines
/// holds all of them, ORed, as HAProxy.
/// </summary>
/// <param name="Acls">The declarations of the ACL.</param>
/// <param name="Negate">Whether the term is negated.</param>
internal readonly record struct ConditionTermRuntime(AclMatcher[] Acls, bool Negate)
{
    /// <summary>Whether the term holds.</summary>
    /// <param name="session">The request.</param>
    public bool Evaluate(HttpRuleSession session)
    {
        foreach (var acl in Acls)
        {
            if (acl.Evaluate(session))
            {
                return !Negate;
            }
        }

        return Negate;
    }
}

/// <summary>
/// A compiled HAProxy condition (<c>if|unless &lt;cond&gt;</c>, section 7.2): OR of groups, each an AND of terms,
/// evaluated left to right with short-circuit, as HAProxy.
/// </summary>
internal sealed class CompiledCondition
{
    /// <summary>Creates the condition.</summary>
    /// <param name="unless">Whether the condition is negated as a whole (<c>unless</c>).</param>
    /// <param name="groups">OR of AND groups; empty = always true.</param>
    public CompiledCondition(bool unless, ConditionTermRuntime[][] groups)
    {
        Unless = unless;
        Groups = groups;
    }

    /// <summary><c>unless</c>.</summary>
    public bool Unless { get; }

    /// <summary>OR of AND groups.</summary>
    public ConditionTermRuntime[][] Groups { get; }

    /// <summary>Whether a rule guarded by <paramref name="condition"/> applies (null = unconditional).</summary>
    /// <param name="condition">The condition, or null.</param>
    /// <param name="session">The request.</param>
    public static bool Holds(CompiledCondition? condition, HttpRuleSession session) =>
        condition is null || condition.Evaluate(session);

    private bool Evaluate(HttpRuleSession session)
    {
        var result = Groups.Length == 0;
        foreach (var group in Groups)
        {
            var all = true;
            foreach (var term in group)
            {
                if (!term.Evaluate(session))
                {
                    all = false;
                    break;
                }
            }

            if (all)
            {
                result = true;
                break;
            }
        }

        return result != Unless;
    }
}
