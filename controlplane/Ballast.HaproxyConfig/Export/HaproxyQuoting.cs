using System.Text;

namespace Ballast.HaproxyConfig.Export;

/// <summary>
/// Writes a value as one configuration word that HAProxy reads back unchanged (manual, section 2.2 "Quoting and
/// escaping"): bare when it holds no special character, in strong single quotes when it can, otherwise in weak
/// double quotes with <c>\\</c>, <c>\"</c>, <c>\$</c>, <c>\n</c>, <c>\r</c> and <c>\xNN</c> escapes.
/// </summary>
public static class HaproxyQuoting
{
    /// <summary>Returns <paramref name="value"/> as a single configuration word.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 0 && !value.Any(NeedsProtection))
        {
            return value;
        }

        if (!value.Any(c => c is '\'' or '\n' or '\r' or '\0'))
        {
            return $"'{value}'";
        }

        var quoted = new StringBuilder(value.Length + 8).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' or '"' or '$' => quoted.Append('\\').Append(c),
                '\n' => quoted.Append("\\n"),
                '\r' => quoted.Append("\\r"),
                < ' ' and not '\t' => quoted.Append($"\\x{(int)c:x2}"),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }

    private static bool NeedsProtection(char c) =>
        c is ' ' or '\t' or '\v' or '\f' or '\r' or '\n' or '\0' or '"' or '\'' or '#' or '\\' || char.IsControl(c);
}
