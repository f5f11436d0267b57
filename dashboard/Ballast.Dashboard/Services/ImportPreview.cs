using Ballast.Proto.V1;

namespace Ballast.Dashboard.Services;

/// <summary>The report of a haproxy.cfg import (<see cref="IDashboardApi.ImportHaproxyAsync"/>), dry run or not.</summary>
/// <param name="DryRun">True when nothing was stored.</param>
/// <param name="Counts">Objects imported and findings by severity.</param>
/// <param name="Findings">Lines (or parts of lines) not mapped unchanged, in file order.</param>
/// <param name="Config">The imported objects.</param>
/// <param name="Changes">What the import changes (or would change) in the working configuration, e.g. <c>add backend 'app'</c>.</param>
/// <param name="Errors">
/// Why it cannot be imported (nothing was stored): syntax and reference errors with their line and column, and values
/// the model rejects, such as <c>backend 'app' server 's1': port: must be 1-65535 (got 0)</c>. Empty when it can.
/// </param>
public sealed record ImportPreview(
    bool DryRun,
    ImportCounts Counts,
    IReadOnlyList<ImportFindingRow> Findings,
    Config Config,
    IReadOnlyList<string> Changes,
    IReadOnlyList<string> Errors)
{
    /// <summary>Whether the file can be imported (no errors).</summary>
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>Counts of an import.</summary>
/// <param name="Frontends">Frontends imported.</param>
/// <param name="Backends">Backends imported.</param>
/// <param name="Servers">Servers imported.</param>
/// <param name="Mapped">Statements that went into the model.</param>
/// <param name="Unsupported">Meaningful to HAProxy but not in the model yet: behaviour will differ.</param>
/// <param name="Ignored">Deliberately left out (process tuning, logging).</param>
/// <param name="Warnings">Imported, but worth a look.</param>
/// <param name="Errors">Errors: nothing can be imported.</param>
public sealed record ImportCounts(int Frontends, int Backends, int Servers, int Mapped, int Unsupported, int Ignored, int Warnings, int Errors);

/// <summary>One finding of an import report.</summary>
/// <param name="Line">1-based line number.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Section">Section, e.g. <c>backend app</c>; empty outside sections.</param>
/// <param name="Keyword">Keyword, e.g. <c>timeout client</c>.</param>
/// <param name="Severity"><c>unsupported</c>, <c>ignored</c>, <c>warning</c> or <c>error</c>.</param>
/// <param name="Reason">Why.</param>
public sealed record ImportFindingRow(int Line, int Column, string Section, string Keyword, string Severity, string Reason);
