using Ballast.HaproxyConfig.Syntax;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// Reads the TLS options of a <c>server</c>/<c>default-server</c> line (manual, section 5.2): <c>ssl</c>/<c>no-ssl</c>,
/// <c>verify none|required</c>, <c>ca-file &lt;file&gt;</c> (the model names the CA bundle by the file's base name,
/// see <see cref="CertificatePaths"/>; <c>@system-ca</c> is the system trust store, the model's empty caFile) and
/// <c>sni str(&lt;name&gt;)</c> (other sample expressions are reported unsupported).
/// </summary>
internal static class ServerTlsOptions
{
    /// <summary>The system trust store, HAProxy's <c>ca-file @system-ca</c>.</summary>
    public const string SystemCa = "@system-ca";

    /// <summary>Whether <paramref name="keyword"/> is read here.</summary>
    public static bool Handles(string keyword) => keyword is "ssl" or "no-ssl" or "verify" or "ca-file" or "sni";

    /// <summary>Reads the option at word <paramref name="index"/> into <paramref name="options"/>; returns the extra words consumed.</summary>
    public static int Read(SectionScope scope, ConfigStatement statement, int index, string lineKeyword, ref ServerOptions options)
    {
        var keyword = statement[index];
        var line = statement.Line;
        var column = statement.ColumnOf(index);
        if (keyword is "ssl" or "no-ssl")
        {
            options = options with { Ssl = new(keyword == "ssl", line, column) };
            return 0;
        }

        if (index + 1 >= statement.Count || statement[index + 1].Length == 0)
        {
            scope.Error(statement, index, $"'{keyword}' expects an argument");
            return 0;
        }

        var argument = statement[index + 1];
        switch (keyword)
        {
            case "verify":
                if (argument is "none" or "required")
                {
                    options = options with { Verify = new(argument == "none" ? ServerVerify.None : ServerVerify.Required, line, column) };
                }
                else
                {
                    scope.Error(statement, index + 1, $"'verify' expects 'none' or 'required' (got '{argument}')");
                }

                break;
            case "ca-file":
                var name = argument == SystemCa ? string.Empty : CertificatePaths.Map(scope, statement, index + 1, $"{lineKeyword} ca-file", needsKey: false);
                if (name is not null)
                {
                    options = options with { CaFile = new(name, line, column) };
                }

                break;
            default:
                if (argument.StartsWith("str(", StringComparison.Ordinal) && argument.EndsWith(')') && argument.Length > 5)
                {
                    options = options with { Sni = new(argument[4..^1], line, column) };
                }
                else
                {
                    scope.Report(statement, index + 1, $"{lineKeyword} sni", FindingSeverity.Unsupported,
                        $"unsupported: sni '{argument}': the model holds a literal name, written sni str(<name>)");
                }

                break;
        }

        return 1;
    }

    /// <summary>Sets the TLS fields of <paramref name="server"/> from its effective options, reporting what HAProxy would do differently.</summary>
    public static void Apply(ProxyDraft draft, ServerDraft draftServer, Server server)
    {
        var options = draftServer.Effective;
        if (options.Ssl?.Value != true)
        {
            foreach (var (keyword, set) in new[] { ("verify", draftServer.Own.Verify?.Column), ("ca-file", draftServer.Own.CaFile?.Column), ("sni", draftServer.Own.Sni?.Column) })
            {
                if (set is { } col)
                {
                    draft.Scope.Builder.Add(new ImportFinding(draftServer.Statement.Line, col, draft.Scope.Name, $"server {keyword}", FindingSeverity.Ignored,
                        $"ignored: '{keyword}' has no effect without 'ssl' on the server"));
                }
            }

            return;
        }

        server.Ssl = true;
        server.Verify = options.Verify?.Value ?? ServerVerify.Required;
        server.CaFile = options.CaFile?.Value ?? string.Empty;
        server.Sni = options.Sni?.Value ?? string.Empty;
        if (server.Verify == ServerVerify.Required && options.CaFile is null)
        {
            draft.Scope.Builder.Add(new ImportFinding(draftServer.Statement.Line, options.Ssl.Value.Column, draft.Scope.Name, "server ssl", FindingSeverity.Warning,
                "HAProxy 2.6 refuses 'verify required' (its default) without 'ca-file' unless 'ssl-server-verify none' is set globally; " +
                "imported as verify required against the system trust store (ca-file @system-ca)"));
        }
    }
}
