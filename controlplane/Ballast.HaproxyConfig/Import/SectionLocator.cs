using Ballast.HaproxyConfig.Syntax;

namespace Ballast.HaproxyConfig.Import;

/// <summary>Finds the section a line belongs to, for findings raised outside a section's own mapping.</summary>
internal sealed class SectionLocator
{
    private readonly int[] _headerLines;
    private readonly string[] _names;

    /// <summary>Indexes the sections of <paramref name="document"/>.</summary>
    public SectionLocator(ConfigDocument document)
    {
        _headerLines = document.Sections.Select(s => s.Header.Line).ToArray();
        _names = document.Sections.Select(s => s.DisplayName).ToArray();
    }

    /// <summary>The display name of the section containing <paramref name="line"/>, or empty before the first one.</summary>
    public string SectionOf(int line)
    {
        var index = Array.BinarySearch(_headerLines, line);
        if (index < 0)
        {
            index = ~index - 1;
        }

        return index >= 0 ? _names[index] : string.Empty;
    }
}
