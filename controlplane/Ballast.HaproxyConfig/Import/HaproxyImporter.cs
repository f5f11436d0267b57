using System.Collections.Frozen;
using Ballast.HaproxyConfig.Syntax;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// Imports a haproxy.cfg into the Ballast model (ballast.v1 <see cref="Ballast.Proto.V1.Config"/>), following HAProxy
/// 2.6's configuration manual: section 2 for the file format, section 4 for proxies and <c>defaults</c> inheritance,
/// section 5 for bind and server options.
/// </summary>
/// <remarks>
/// Import never throws on content: syntax errors and anything HAProxy would refuse become
/// <see cref="FindingSeverity.Error"/> findings naming the line and column, and reading goes on so that one pass
/// shows every problem. Apply <see cref="ImportResult.Config"/> only when <see cref="ImportResult.Succeeded"/>.
/// Everything that is not mapped is in the report with its line, keyword and reason.
/// </remarks>
public static class HaproxyImporter
{
    /// <summary>Imports <paramref name="text"/> with <paramref name="environment"/> as the only variables for <c>"${VAR}"</c>.</summary>
    /// <param name="text">The haproxy.cfg content.</param>
    /// <param name="environment">Variables visible to the file; the process environment is never read. Null = none.</param>
    public static ImportResult Import(string text, IReadOnlyDictionary<string, string>? environment = null) =>
        Import(text, new ParseOptions { Environment = environment ?? FrozenDictionary<string, string>.Empty });

    /// <summary>Imports <paramref name="text"/> with explicit reading options (environment, version, features, file name).</summary>
    public static ImportResult Import(string text, ParseOptions options)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        return new ImportSession(ConfigParser.Parse(text, options)).Run();
    }
}
