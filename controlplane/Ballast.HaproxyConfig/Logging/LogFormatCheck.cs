namespace Ballast.HaproxyConfig.Logging;

/// <summary>
/// Checks a HAProxy <c>log-format</c> string as the nodes compile it (their <c>LogFormatTemplate</c>): literal text,
/// <c>%%</c>, and <c>%var</c> / <c>%{flags}var</c> with a variable the nodes render; sample fetches (<c>%[...]</c>) are
/// not supported.
/// </summary>
public static class LogFormatCheck
{
    /// <summary>The <c>%</c> variables the nodes render.</summary>
    public static IReadOnlySet<string> Variables { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "ci", "cp", "fi", "fp", "si", "sp", "bi", "bp", "t", "tr", "T", "Ts", "ft", "f", "b", "s", "TR", "Tw", "Tc",
        "Tr", "Ta", "Tt", "Tq", "Th", "Ti", "Td", "ST", "B", "U", "CC", "CS", "ts", "tsc", "ac", "fc", "bc", "sc", "rc",
        "sq", "bq", "hr", "hs", "hrl", "hsl", "r", "HM", "HU", "HP", "HQ", "HV", "ID", "H", "pid",
    };

    /// <summary>Why <paramref name="format"/> is not accepted by the nodes; null when it is.</summary>
    /// <param name="format">The log-format string.</param>
    public static string? Error(string format)
    {
        ArgumentNullException.ThrowIfNull(format);
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%')
            {
                continue;
            }

            if (i + 1 < format.Length && format[i + 1] == '%')
            {
                i++;
                continue;
            }

            var j = i + 1;
            if (j < format.Length && format[j] == '{')
            {
                var close = format.IndexOf('}', j);
                if (close < 0)
                {
                    return $"missing '}}' at position {i}";
                }

                j = close + 1;
            }

            if (j < format.Length && format[j] == '[')
            {
                return $"sample fetches (%[...]) are not supported (position {i})";
            }

            var start = j;
            while (j < format.Length && char.IsAsciiLetter(format[j]))
            {
                j++;
            }

            var name = format[start..j];
            if (!Variables.Contains(name))
            {
                return name.Length == 0 ? $"missing variable name at position {i}" : $"unknown variable '%{name}'";
            }

            i = j - 1;
        }

        return null;
    }
}
