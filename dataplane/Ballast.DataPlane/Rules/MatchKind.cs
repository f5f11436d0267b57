namespace Ballast.DataPlane.Rules;

/// <summary>Effective ACL match method, as HAProxy <c>-m</c> (section 7.1.3).</summary>
internal enum MatchKind
{
    /// <summary><c>-m str</c>.</summary>
    Str,

    /// <summary><c>-m beg</c>.</summary>
    Beg,

    /// <summary><c>-m end</c>.</summary>
    End,

    /// <summary><c>-m sub</c>.</summary>
    Sub,

    /// <summary><c>-m reg</c>.</summary>
    Reg,

    /// <summary><c>-m found</c>.</summary>
    Found,

    /// <summary><c>-m dir</c>: delimited by '/'.</summary>
    Dir,

    /// <summary><c>-m dom</c>: delimited by '.'.</summary>
    Dom,

    /// <summary><c>-m int</c>.</summary>
    Int,

    /// <summary><c>-m ip</c>.</summary>
    Ip,
}
