using Ballast.HaproxyConfig.Logging;
using Ballast.HaproxyConfig.Syntax;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// Maps the access-log statements of a proxy section (manual 4.2: <c>log</c>, <c>log global</c>, <c>no log</c>,
/// <c>option httplog</c>, <c>option tcplog</c>, <c>option dontlognull</c>, <c>log-format</c>) into
/// <see cref="ProxySettings.Log"/>, with the shared <see cref="HaproxyLog"/> reader. A backend section's log settings
/// are reported as ignored: Ballast writes access logs per frontend.
/// </summary>
internal static class LogMapper
{
    /// <summary>Whether <paramref name="option"/> is an access-log option this mapper handles.</summary>
    public static bool IsLogOption(string option) => option is "httplog" or "tcplog" or "dontlognull";

    /// <summary>Maps <c>log ...</c> (or <c>no log</c> when <paramref name="negated"/>).</summary>
    public static void MapLog(ProxyDraft draft, ConfigStatement statement, bool negated)
    {
        var scope = draft.Scope;
        if (draft.Kind == ProxyKind.Backend)
        {
            scope.Report(statement, FindingSeverity.Ignored,
                "ignored: a backend's log targets carry HAProxy's server and health messages; Ballast writes access logs per frontend");
            return;
        }

        var log = draft.Settings.Log;
        if (negated)
        {
            if (Arguments.NoMoreThan(scope, statement, 1, "no log"))
            {
                Set(draft, log with { Targets = [] });
                scope.Mapped(statement, Target(draft, "logs cleared (no log)"));
            }

            return;
        }

        if (statement[1] == "global")
        {
            MapGlobal(draft, statement);
            return;
        }

        var words = statement.Words.Skip(1).Select(w => w.Text).ToArray();
        if (!HaproxyLog.TryParse(words, out var target, out var error))
        {
            var severity = error.Unsupported ? FindingSeverity.Unsupported : FindingSeverity.Error;
            scope.Report(statement, error.WordIndex + 1, "log", severity, error.Message);
            return;
        }

        if (HaproxyLog.IsFile(target.Address))
        {
            scope.Report(statement, 1, "log", FindingSeverity.Unsupported, UnixSocket(target.Address));
            return;
        }

        Set(draft, log with { Targets = [.. log.Targets, target] });
        scope.Mapped(statement, Target(draft, $"logs += {HaproxyLog.Format(target)}"));
    }

    /// <summary>Maps <c>[no] option httplog|tcplog|dontlognull</c>.</summary>
    public static void MapOption(ProxyDraft draft, ConfigStatement statement, bool negated)
    {
        var scope = draft.Scope;
        var offset = negated ? 1 : 0;
        var option = statement[offset + 1];
        if (draft.Kind == ProxyKind.Backend)
        {
            scope.Report(statement, FindingSeverity.Ignored, Reasons.NoCapability($"option {option}", "backend", "frontend"));
            return;
        }

        if (option == "httplog" && statement[offset + 2] == "clf")
        {
            scope.Report(statement, offset + 2, KeywordNames.Of(statement), FindingSeverity.Unsupported,
                "unsupported: the CLF variant of option httplog is not in the Ballast model");
            return;
        }

        if (!Arguments.NoMoreThan(scope, statement, offset + 1, KeywordNames.Of(statement)))
        {
            return;
        }

        var log = draft.Settings.Log;
        var on = !negated;
        log = option switch
        {
            "httplog" => on
                ? log with { Httplog = new(true, statement.Line, statement.ColumnOf(offset + 1)), Tcplog = false, Format = null }
                : log with { Httplog = null },
            "tcplog" => on ? log with { Tcplog = true, Httplog = null, Format = null } : log with { Tcplog = false },
            _ => log with { Dontlognull = on },
        };
        Set(draft, log);
        scope.Mapped(statement, Target(draft, $"option{option[..1].ToUpperInvariant()}{option[1..]} {(on ? "true" : "false")}"));
    }

    /// <summary>Maps <c>log-format &lt;string&gt;</c>.</summary>
    public static void MapFormat(ProxyDraft draft, ConfigStatement statement)
    {
        var scope = draft.Scope;
        if (draft.Kind == ProxyKind.Backend)
        {
            scope.Report(statement, FindingSeverity.Ignored, Reasons.NoCapability("log-format", "backend", "frontend"));
            return;
        }

        if (statement.Count < 2)
        {
            scope.Error(statement, 1, "'log-format' expects a format string");
            return;
        }

        if (statement.Count > 2)
        {
            scope.Error(statement, 2, "'log-format' expects only one argument; to use spaces, quote the string or escape them");
            return;
        }

        if (LogFormatCheck.Error(statement[1]) is { } error)
        {
            scope.Report(statement, 1, "log-format", FindingSeverity.Unsupported, $"unsupported: {error}");
            return;
        }

        Set(draft, draft.Settings.Log with { Format = statement[1] });
        scope.Mapped(statement, Target(draft, "logFormat"));
    }

    /// <summary>
    /// Writes the log settings of <paramref name="draft"/> to <paramref name="frontend"/> once its mode is known:
    /// <c>option httplog</c> in mode tcp falls back to tcplog with HAProxy's warning.
    /// </summary>
    public static void Apply(ProxyDraft draft, Frontend frontend)
    {
        var log = draft.Settings.Log;
        frontend.Logs.AddRange(log.Targets.Select(t => t.Clone()));
        frontend.OptionDontlognull = log.Dontlognull;
        frontend.OptionTcplog = log.Tcplog;
        frontend.LogFormat = log.Format ?? string.Empty;
        if (log.Httplog is { } httplog)
        {
            if (frontend.Mode == Mode.Tcp)
            {
                draft.Scope.Builder.Add(new ImportFinding(httplog.Line, httplog.Column, draft.Scope.Name, "option httplog", FindingSeverity.Warning,
                    $"'option httplog' not usable with {draft.Scope.Name} (needs 'mode http'); falling back to 'option tcplog', as HAProxy does"));
                frontend.OptionTcplog = true;
            }
            else
            {
                frontend.OptionHttplog = true;
            }
        }
    }

    /// <summary>The reason a file-path target is not imported.</summary>
    public static string UnixSocket(string address) =>
        $"unsupported: HAProxy sends to the UNIX socket '{address}'; Ballast nodes have no UNIX socket targets (a path is a file they append to)";

    private static void MapGlobal(ProxyDraft draft, ConfigStatement statement)
    {
        var scope = draft.Scope;
        if (!Arguments.NoMoreThan(scope, statement, 1, "log"))
        {
            return;
        }

        var global = draft.GlobalLogs;
        if (global.Unmapped > 0 && global.Targets.Count == 0)
        {
            scope.Report(statement, 1, "log", FindingSeverity.Unsupported,
                $"unsupported: none of the global section's {global.Unmapped} log target(s) is in the Ballast model (see their findings)");
            return;
        }

        var log = draft.Settings.Log;
        Set(draft, log with { Targets = [.. log.Targets, .. global.Targets] });
        var note = global.Unmapped > 0 ? $", {global.Unmapped} other(s) not in the model" : string.Empty;
        scope.Mapped(statement, Target(draft, $"logs += the global section's {global.Targets.Count} target(s){note}"));
    }

    private static void Set(ProxyDraft draft, LogSettings log) => draft.Settings = draft.Settings with { Log = log };

    private static string Target(ProxyDraft draft, string what) => draft.Kind switch
    {
        ProxyKind.Defaults => $"defaults: {what} (inherited)",
        ProxyKind.Frontend => $"frontend {draft.Name}: {what}",
        _ => $"listen {draft.Name}: {what}",
    };
}
