namespace Ballast.HaproxyConfig.Syntax;

/// <summary>
/// A section: a section keyword line and the statements up to the next section keyword or the end of the file
/// (HAProxy manual, section 2.1 rules 6-7, and section 4 for <c>defaults</c>/<c>frontend</c>/<c>backend</c>/<c>listen</c>).
/// </summary>
/// <param name="Type">The section keyword: <c>global</c>, <c>defaults</c>, <c>frontend</c>, <c>backend</c>, <c>listen</c>, ...</param>
/// <param name="Header">The section keyword line itself, with its name and <c>from</c> clause if any.</param>
/// <param name="Statements">The statements of the section, in file order.</param>
public sealed record ConfigSection(string Type, ConfigStatement Header, IReadOnlyList<ConfigStatement> Statements)
{
    /// <summary>The section name (second word), or null when the section has none (e.g. <c>global</c>).</summary>
    public string? Name => Header.Count > 1 ? Header[1] : null;

    /// <summary>How the section is named in reports: <c>backend app</c>, <c>global</c>, <c>defaults</c>.</summary>
    public string DisplayName => Name is { Length: > 0 } name ? $"{Type} {name}" : Type;
}
