using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Ballast.ControlPlane.Declarative;

/// <summary>
/// The <c>&lt;summary&gt;</c> texts of an assembly's XML documentation file (built next to it, as every Ballast project
/// sets <c>GenerateDocumentationFile</c>), keyed by member id (<c>T:Ns.Type</c>, <c>P:Ns.Type.Property</c>); empty
/// when the file is absent. <c>&lt;c&gt;</c> becomes <c>`code`</c> and <c>&lt;see cref&gt;</c> the member's short name.
/// </summary>
internal sealed partial class XmlDocSummaries
{
    private readonly Dictionary<string, string> _summaries;

    private XmlDocSummaries(Dictionary<string, string> summaries) => _summaries = summaries;

    /// <summary>Reads the documentation file of <paramref name="assembly"/>.</summary>
    public static XmlDocSummaries For(Assembly assembly)
    {
        var summaries = new Dictionary<string, string>(StringComparer.Ordinal);
        var file = Path.ChangeExtension(assembly.Location, ".xml");
        if (assembly.Location.Length == 0 || !File.Exists(file))
        {
            return new XmlDocSummaries(summaries);
        }

        foreach (var member in XDocument.Load(file).Descendants("member"))
        {
            if (member.Attribute("name")?.Value is { } name && member.Element("summary") is { } summary)
            {
                summaries[name] = WhiteSpace().Replace(Text(summary), " ").Trim();
            }
        }

        return new XmlDocSummaries(summaries);
    }

    /// <summary>The summary of <paramref name="type"/>, or null.</summary>
    public string? Of(Type type) => _summaries.GetValueOrDefault($"T:{Id(type)}");

    /// <summary>The summary of a property or field, or null.</summary>
    public string? Of(MemberInfo member) =>
        member.DeclaringType is { } declaring ? _summaries.GetValueOrDefault($"{(member is FieldInfo ? 'F' : 'P')}:{Id(declaring)}.{member.Name}") : null;

    private static string Id(Type type) => (type.FullName ?? type.Name).Replace('+', '.');

    private static string Text(XElement element)
    {
        var text = new StringBuilder();
        foreach (var node in element.Nodes())
        {
            text.Append(node switch
            {
                XText t => t.Value,
                XElement { Name.LocalName: "c" } c => $"`{c.Value}`",
                XElement { Name.LocalName: "see" } see => see.Attribute("cref")?.Value.Split('.', ':')[^1] ?? see.Attribute("langword")?.Value ?? see.Value,
                XElement { Name.LocalName: "paramref" or "typeparamref" } p => p.Attribute("name")?.Value ?? string.Empty,
                XElement other => Text(other),
                _ => string.Empty,
            });
        }

        return text.ToString();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
