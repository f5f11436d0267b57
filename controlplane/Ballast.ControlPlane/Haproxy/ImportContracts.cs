using Ballast.ControlPlane.Declarative;
using Ballast.ControlPlane.Model;
using Ballast.ControlPlane.Validation;
using Ballast.HaproxyConfig.Import;

namespace Ballast.ControlPlane.Haproxy;

/// <summary>Answer of <c>POST /api/v1/import/haproxy</c>: the import report and the imported objects.</summary>
/// <param name="DryRun">True when nothing was stored.</param>
/// <param name="Summary">Counts of objects and findings.</param>
/// <param name="Findings">Every line (or part of one) that was not mapped unchanged, in file order.</param>
/// <param name="Config">The imported objects, in the same JSON shapes as <c>GET /api/v1/config</c>.</param>
/// <param name="Changes">What the import changes (or would change) in the working configuration; empty on errors.</param>
/// <param name="Errors">
/// Why nothing was stored (status 422): error findings (object <c>line L column C</c>, field = keyword) and imported
/// values the model rejects (object and field as in the rest of the API). Empty on success.
/// </param>
public sealed record ImportResponse(
    bool DryRun,
    ImportSummary Summary,
    IReadOnlyList<ImportFindingResponse> Findings,
    ConfigSpec Config,
    IReadOnlyList<ConfigChange> Changes,
    IReadOnlyList<ValidationError> Errors)
{
    /// <summary>
    /// The certificate files the haproxy.cfg names (<c>bind ... crt</c>, <c>server ... ca-file</c>), once each, with the
    /// certificate name the import gives them (the file's base name) and whether it is uploaded; each one missing is also
    /// a warning finding. Upload them with <c>PUT /api/v1/certificates/{name}</c> before publishing.
    /// </summary>
    public IReadOnlyList<ImportCertificate> Certificates { get; init; } = [];
}

/// <summary>Counts of an import.</summary>
/// <param name="Frontends">Frontends imported.</param>
/// <param name="Backends">Backends imported.</param>
/// <param name="Servers">Servers imported.</param>
/// <param name="Mapped">Statements that went into the model.</param>
/// <param name="Unsupported">Findings: meaningful to HAProxy but not in the model yet (behaviour will differ).</param>
/// <param name="Ignored">Findings: deliberately left out (process tuning, logging).</param>
/// <param name="Warnings">Findings: imported but worth a look.</param>
/// <param name="Errors">Entries of <see cref="ImportResponse.Errors"/>: error findings plus values the model rejects.</param>
public sealed record ImportSummary(int Frontends, int Backends, int Servers, int Mapped, int Unsupported, int Ignored, int Warnings, int Errors);

/// <summary>One finding of the import report.</summary>
/// <param name="Line">1-based line number.</param>
/// <param name="Column">1-based column of the keyword or of the offending word.</param>
/// <param name="Section">The section, e.g. <c>backend app</c>; empty outside sections.</param>
/// <param name="Keyword">The keyword as HAProxy's manual names it, e.g. <c>timeout client</c>.</param>
/// <param name="Severity"><c>unsupported</c>, <c>ignored</c>, <c>warning</c> or <c>error</c>.</param>
/// <param name="Reason">Why.</param>
public sealed record ImportFindingResponse(int Line, int Column, string Section, string Keyword, string Severity, string Reason)
{
    internal static ImportFindingResponse From(ImportFinding f) => new(f.Line, f.Column, f.Section, f.Keyword, SeverityWord(f.Severity), f.Reason);

    /// <summary>The lower-case word of a severity.</summary>
    internal static string SeverityWord(FindingSeverity severity) => severity switch
    {
        FindingSeverity.Unsupported => "unsupported",
        FindingSeverity.Ignored => "ignored",
        FindingSeverity.Warning => "warning",
        _ => "error",
    };
}
