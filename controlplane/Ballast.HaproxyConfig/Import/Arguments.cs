using System.Globalization;
using Ballast.HaproxyConfig.Syntax;
using Ballast.HaproxyConfig.Units;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// Reads keyword arguments, reporting an error at the argument's column when it is missing or malformed.
/// Stricter than HAProxy's <c>atol()</c>, which reads "abc" as 0: a number must be all digits.
/// </summary>
internal static class Arguments
{
    /// <summary>Reads word <paramref name="index"/> as an integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static bool TryUInt(SectionScope scope, ConfigStatement statement, int index, string keyword, uint min, uint max, out uint value)
    {
        value = 0;
        if (index >= statement.Count)
        {
            scope.Error(statement, index, $"'{keyword}' expects an integer argument");
            return false;
        }

        if (!uint.TryParse(statement[index], NumberStyles.None, CultureInfo.InvariantCulture, out value) || value < min || value > max)
        {
            scope.Error(statement, index, $"'{keyword}' expects an integer from {min} to {max} (got '{statement[index]}')");
            return false;
        }

        return true;
    }

    /// <summary>Reads word <paramref name="index"/> as a time in milliseconds (manual, section 2.5).</summary>
    public static bool TryTime(SectionScope scope, ConfigStatement statement, int index, string keyword, out uint milliseconds)
    {
        milliseconds = 0;
        if (index >= statement.Count)
        {
            scope.Error(statement, index, $"'{keyword}' expects a time argument");
            return false;
        }

        if (!TimeParser.TryParse(statement[index], TimeUnit.Milliseconds, out milliseconds, out var error))
        {
            scope.Error(statement, index, $"'{keyword}': {error}");
            return false;
        }

        return true;
    }

    /// <summary>Reports an error if words exist past <paramref name="lastIndex"/>; returns false then.</summary>
    public static bool NoMoreThan(SectionScope scope, ConfigStatement statement, int lastIndex, string keyword)
    {
        if (statement.Count <= lastIndex + 1)
        {
            return true;
        }

        scope.Error(statement, lastIndex + 1, $"'{keyword}' cannot handle unexpected argument '{statement[lastIndex + 1]}'");
        return false;
    }
}
