using System.Collections.Frozen;
using Ballast.HaproxyConfig.Syntax;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// Reports the <c>global</c> section (manual, section 3). Nothing in it is in the Ballast model: each statement is
/// classified as process tuning (3.2), process management (3.1), logging, an environment directive, or unsupported.
/// </summary>
internal static class GlobalSectionMapper
{
    private static readonly FrozenSet<string> Tuning = new[]
    {
        "nbthread", "nbproc", "thread-groups", "thread-group", "cpu-map", "maxconn", "maxconnrate", "maxsessrate",
        "maxsslconn", "maxsslrate", "maxcomprate", "maxcompcpuusage", "maxpipes", "maxzlibmem", "noepoll",
        "nokqueue", "noevports", "nopoll", "nosplice", "nogetaddrinfo", "noreuseport", "busy-polling",
        "spread-checks", "max-spread-checks", "hard-stop-after", "grace", "ulimit-n", "fd-hard-limit",
        "strict-limits", "numa-cpu-mapping", "profiling.tasks", "profiling.memory", "ssl-engine", "ssl-mode-async",
        "no-memory-trimming", "pp2-never-send-local", "close-spread-time", "idle-pool",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Management = new[]
    {
        "daemon", "master-worker", "mworker-max-reloads", "user", "group", "uid", "gid", "chroot", "pidfile",
        "stats", "node", "localpeer", "quiet", "zero-warning", "debug", "expose-experimental-directives",
        "insecure-fork-wanted", "insecure-setuid-wanted", "set-dumpable", "unix-bind", "server-state-base",
        "server-state-file", "external-check", "default-path", "description", "anonkey", "cluster-secret",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Logging = new[]
    {
        "log-tag", "log-send-hostname", "log-format", "error-log-format", "log-format-sd",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Reports every statement of <paramref name="scope"/>'s global section; <c>log</c> lines go to <paramref name="logs"/>.</summary>
    public static void Map(SectionScope scope, GlobalLogs logs)
    {
        scope.Report(scope.Section.Header, FindingSeverity.Ignored,
            "ignored: the global section holds process settings; none is in the Ballast model (each statement is reported below)");
        foreach (var statement in scope.Section.Statements)
        {
            if (statement.Keyword == "log")
            {
                logs.Map(scope, statement);
                continue;
            }

            var (severity, reason) = Classify(statement.Keyword);
            scope.Report(statement, severity, reason);
        }
    }

    private static (FindingSeverity, string) Classify(string keyword) => keyword switch
    {
        _ when EnvironmentDirectives.IsDirective(keyword) => (FindingSeverity.Ignored, Reasons.EnvironmentDirective),
        _ when Tuning.Contains(keyword) || keyword.StartsWith("tune.", StringComparison.Ordinal) =>
            (FindingSeverity.Ignored, Reasons.ProcessTuning),
        _ when Management.Contains(keyword) => (FindingSeverity.Ignored, Reasons.ProcessManagement),
        _ when Logging.Contains(keyword) => (FindingSeverity.Ignored, Reasons.Logging),
        _ => (FindingSeverity.Unsupported, Reasons.NotInModel),
    };
}
