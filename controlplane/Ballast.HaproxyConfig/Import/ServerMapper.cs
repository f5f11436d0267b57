using System.Globalization;
using Ballast.HaproxyConfig.Syntax;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// Maps <c>server &lt;name&gt; &lt;address&gt;[:port] [options]</c> and <c>default-server [options]</c>
/// (manual, section 4.2 and 5.2). A server takes the <c>default-server</c> options in force when its line is read,
/// as in HAProxy. A server the model cannot hold (no port, a port offset, a UNIX socket) is reported and left out.
/// </summary>
internal static class ServerMapper
{
    /// <summary>Maps a <c>server</c> line into <paramref name="draft"/>.</summary>
    public static void MapServer(ProxyDraft draft, ConfigStatement statement)
    {
        var scope = draft.Scope;
        if (!draft.Kind.HasBackend() || draft.Kind == ProxyKind.Defaults)
        {
            scope.Error(statement, 0, $"'server' is not allowed in a {scope.Section.Type} section, which has no backend capability");
            return;
        }

        if (statement.Count < 3)
        {
            scope.Error(statement, statement.Count, "'server' expects <name> and <address> as arguments");
            return;
        }

        var name = statement[1];
        if (!CheckName(scope, statement, name) || !TryEndpoint(scope, statement, out var host, out var port))
        {
            return;
        }

        var own = ServerOptionsParser.Parse(scope, statement, 3, "server");
        var server = new ServerDraft(statement, name, host, port, own, own.Over(draft.Settings.DefaultServer));
        if (!draft.TryAddServer(server))
        {
            scope.Error(statement, 1, $"another server named '{name}' was already defined in {scope.Name}");
            return;
        }

        scope.Mapped(statement, $"backend {draft.Name}: server {name}");
    }

    /// <summary>Maps a <c>default-server</c> line into <paramref name="draft"/>'s settings.</summary>
    public static void MapDefaultServer(ProxyDraft draft, ConfigStatement statement)
    {
        var scope = draft.Scope;
        if (!draft.Kind.HasBackend())
        {
            scope.Report(statement, FindingSeverity.Ignored, Reasons.NoCapability("default-server", scope.Section.Type, "backend"));
            return;
        }

        var own = ServerOptionsParser.Parse(scope, statement, 1, "default-server");
        draft.Settings = draft.Settings with { DefaultServer = own.Over(draft.Settings.DefaultServer) };
        if (own != ServerOptions.None)
        {
            scope.Mapped(statement, draft.Kind == ProxyKind.Defaults ? "defaults: default-server (inherited)" : $"backend {draft.Name}: default-server");
        }
        else if (statement.Count == 1)
        {
            scope.Report(statement, FindingSeverity.Ignored, "ignored: 'default-server' without options has no effect");
        }
    }

    private static bool CheckName(SectionScope scope, ConfigStatement statement, string name)
    {
        if (ProxyNames.InvalidCharacter(name) is { } bad)
        {
            scope.Error(statement, 1, $"character '{bad}' is not permitted in server name '{name}'");
            return false;
        }

        if (name.Length > ProxyNames.MaxLength)
        {
            scope.Report(statement, 1, "server", FindingSeverity.Unsupported,
                $"unsupported: server names longer than {ProxyNames.MaxLength} characters are not in the Ballast model; the server is not imported");
            return false;
        }

        return true;
    }

    private static bool TryEndpoint(SectionScope scope, ConfigStatement statement, out string host, out uint port)
    {
        port = 0;
        host = string.Empty;
        if (!EndpointText.TryParse(statement[2], out var endpoint, out var problem))
        {
            scope.Report(statement, 2, "server", problem.Severity, problem.Reason + (problem.Severity == FindingSeverity.Unsupported ? "; the server is not imported" : string.Empty));
            return false;
        }

        host = endpoint.Host;
        if (host.Length == 0)
        {
            scope.Error(statement, 2, $"server '{statement[1]}' has no address");
            return false;
        }

        if (endpoint.Port is null || endpoint.Port.StartsWith('+') || endpoint.Port.StartsWith('-') || endpoint.Port == "0")
        {
            scope.Report(statement, 2, "server", FindingSeverity.Unsupported,
                "unsupported: a server port taken from the client's destination port (none, 0 or an offset) is not in the Ballast model yet; the server is not imported");
            return false;
        }

        if (!uint.TryParse(endpoint.Port, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
        {
            scope.Error(statement, 2, $"invalid port '{endpoint.Port}' for server '{statement[1]}': expected 1-65535");
            return false;
        }

        return true;
    }
}
