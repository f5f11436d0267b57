using System.Text.RegularExpressions;
using Ballast.HaproxyConfig.Syntax;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// Turns the file paths of <c>crt</c> and <c>ca-file</c> into certificate names (the base name, see
/// <see cref="CertificateFile"/>) and records them in the report. A path ending in <c>/</c> or whose base name has no
/// dot is taken as a directory (HAProxy loads every file of a <c>crt &lt;directory&gt;</c>), which the model cannot
/// name: it is reported unsupported. Two different paths with the same base name are an error.
/// </summary>
internal static partial class CertificatePaths
{
    /// <summary>The model name of the path at word <paramref name="index"/> of <paramref name="statement"/>, or null after reporting why not.</summary>
    public static string? Map(SectionScope scope, ConfigStatement statement, int index, string keyword, bool needsKey)
    {
        var path = statement[index];
        var name = path[(path.LastIndexOf('/') + 1)..];
        if (path.EndsWith('/') || !name.Contains('.'))
        {
            scope.Report(statement, index, keyword, FindingSeverity.Unsupported,
                $"unsupported: '{path}' looks like a directory; name each certificate file (crt <file>), the model holds certificates by name");
            return null;
        }

        if (!NameRegex().IsMatch(name))
        {
            scope.Error(statement, index, $"certificate file name '{name}' cannot be a certificate name (1-64 characters of A-Z a-z 0-9 _ . : -); rename the file");
            return null;
        }

        var file = new CertificateFile(name, path, statement.Line, statement.ColumnOf(index), scope.Name, needsKey);
        if (scope.Builder.AddCertificate(file) is { } clash)
        {
            scope.Error(statement, index, $"'{path}' and '{clash.Path}' (line {clash.Line}) have the same base name '{name}', which the model uses as the certificate name");
            return null;
        }

        return name;
    }

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,64}$")]
    private static partial Regex NameRegex();
}
