using System.Collections.Frozen;

namespace Ballast.HaproxyConfig.Syntax;

/// <summary>
/// The keywords that start a section (HAProxy manual, section 2.1 rule 6). They are single words, valid anywhere,
/// and end the previous section. The proxy sections are described in section 4, <c>global</c> in section 3, the
/// others in their own chapters; <c>crt-store</c>, <c>traces</c> and <c>acme</c> come from later versions and are
/// recognised so that their content is reported as one unsupported section rather than line by line in the
/// section before them.
/// </summary>
internal static class SectionKeywords
{
    /// <summary>The proxy section keywords (manual, section 4).</summary>
    public const string Defaults = "defaults";

    /// <summary>A frontend section.</summary>
    public const string Frontend = "frontend";

    /// <summary>A backend section.</summary>
    public const string Backend = "backend";

    /// <summary>A listen section: a frontend and a backend in one.</summary>
    public const string Listen = "listen";

    /// <summary>The process-wide section (manual, section 3).</summary>
    public const string Global = "global";

    /// <summary>All section keywords.</summary>
    public static readonly FrozenSet<string> All = new[]
    {
        Global, Defaults, Frontend, Backend, Listen,
        "userlist", "peers", "mailers", "resolvers", "cache", "program", "http-errors", "ring", "log-forward",
        "namespace_list", "dynamic-update", "crt-store", "traces", "acme",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="word"/> starts a section.</summary>
    public static bool IsSection(string word) => All.Contains(word);
}
