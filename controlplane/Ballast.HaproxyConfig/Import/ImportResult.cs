using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Import;

/// <summary>The outcome of importing a haproxy.cfg: the model built from it and the report of what was understood.</summary>
/// <param name="Config">The ballast.v1 configuration; partial when the report has errors.</param>
/// <param name="Report">Mapped statements and findings, with line numbers.</param>
public sealed record ImportResult(Config Config, ImportReport Report)
{
    /// <summary>Whether the file had no errors; only then should <see cref="Config"/> be applied.</summary>
    public bool Succeeded => !Report.HasErrors;
}
