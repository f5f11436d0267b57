using Ballast.HaproxyConfig.Syntax;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// Checks between sections, once all are read, with HAProxy 2.6's messages: <c>default_backend</c> must name a
/// backend ("unable to find required default_backend"), an http frontend cannot use a tcp backend, a frontend
/// should have a <c>bind</c>; <c>use_backend</c> targets are checked the same way. A tcp frontend using an http backend is valid HAProxy but not in the model yet.
/// </summary>
internal static class CrossReferences
{
    /// <summary>Checks <paramref name="frontends"/> against <paramref name="backends"/>.</summary>
    public static void Check(IReadOnlyList<ImportedFrontend> frontends, IReadOnlyDictionary<string, Backend> backends, SectionLocator locator, ReportBuilder report)
    {
        foreach (var frontend in frontends)
        {
            var model = frontend.Model;
            var section = locator.SectionOf(frontend.Header.Line);
            foreach (var use in frontend.UseBackends)
            {
                CheckUseBackend(model, use, backends, locator, report);
            }

            if (model.Binds.Count == 0)
            {
                Add(report, frontend.Header, 0, section, frontend.Header.Keyword, FindingSeverity.Warning,
                    $"frontend '{model.Name}' has no 'bind' directive: it accepts no connections");
            }

            if (model.DefaultBackend.Length == 0 && model.UseBackends.Count > 0)
            {
                continue;
            }

            if (model.DefaultBackend.Length == 0)
            {
                Add(report, frontend.Header, 0, section, frontend.Header.Keyword, FindingSeverity.Warning,
                    $"frontend '{model.Name}' has no default_backend: requests matching no use_backend rule get HAProxy's 503");
                continue;
            }

            var (line, column) = frontend.DefaultBackend is { } source ? (source.Line, source.Column) : (frontend.Header.Line, frontend.Header.Column);
            var where = locator.SectionOf(line);
            if (!backends.TryGetValue(model.DefaultBackend, out var backend))
            {
                report.Add(new ImportFinding(line, column, where, "default_backend", FindingSeverity.Error,
                    $"proxy '{model.Name}': unable to find required default_backend: '{model.DefaultBackend}'"));
            }
            else if (model.Mode == Mode.Http && backend.Mode == Mode.Tcp)
            {
                report.Add(new ImportFinding(line, column, where, "default_backend", FindingSeverity.Error,
                    $"http frontend '{model.Name}' tries to use incompatible tcp backend '{backend.Name}' as its default backend (see 'mode')"));
            }
            else if (model.Mode == Mode.Tcp && backend.Mode == Mode.Http)
            {
                report.Add(new ImportFinding(line, column, where, "default_backend", FindingSeverity.Unsupported,
                    $"unsupported: tcp frontend '{model.Name}' upgrading to http backend '{backend.Name}' is not in the Ballast model yet"));
            }
        }
    }

    private static void CheckUseBackend(Frontend model, Sourced<string> use, IReadOnlyDictionary<string, Backend> backends, SectionLocator locator, ReportBuilder report)
    {
        var where = locator.SectionOf(use.Line);
        if (!backends.TryGetValue(use.Value, out var backend))
        {
            report.Add(new ImportFinding(use.Line, use.Column, where, "use_backend", FindingSeverity.Error,
                $"proxy '{model.Name}': unable to find required use_backend: '{use.Value}'"));
        }
        else if (model.Mode != backend.Mode)
        {
            var severity = model.Mode == Mode.Http ? FindingSeverity.Error : FindingSeverity.Unsupported;
            report.Add(new ImportFinding(use.Line, use.Column, where, "use_backend", severity, model.Mode == Mode.Http
                ? $"http frontend '{model.Name}' tries to use incompatible tcp backend '{backend.Name}' in a use_backend rule (see 'mode')"
                : $"unsupported: tcp frontend '{model.Name}' upgrading to http backend '{backend.Name}' is not in the Ballast model yet"));
        }
    }

    private static void Add(ReportBuilder report, ConfigStatement statement, int word, string section, string keyword, FindingSeverity severity, string reason) =>
        report.Add(new ImportFinding(statement.Line, statement.ColumnOf(word), section, keyword, severity, reason));
}
