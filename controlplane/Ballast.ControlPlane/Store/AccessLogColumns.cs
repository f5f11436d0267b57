using System.Text.Json;
using Ballast.ControlPlane.Model;
using Microsoft.EntityFrameworkCore;

namespace Ballast.ControlPlane.Store;

/// <summary>
/// Storage of a frontend's access-log settings: one JSON column <c>Frontends.LogJson</c> (next to the layer-7
/// <c>L7Json</c>) holding <c>logs</c> (HAProxy <c>log</c> text in canonical form), <c>optionHttplog</c>,
/// <c>optionTcplog</c>, <c>optionDontlognull</c>, <c>logFormat</c>, <c>captureRequestHeaders</c> and
/// <c>captureResponseHeaders</c> (absent in rows written before captures: none). Added on start to databases created before it,
/// idempotently, as <see cref="Layer7Columns"/> does (independent of the schema version number).
/// </summary>
internal static class AccessLogColumns
{
    private const string Table = "Frontends";

    private const string Column = "LogJson";

    private static readonly JsonSerializerOptions Json = ModelJson.Create();

    /// <summary>Adds the column when the database lacks it.</summary>
    /// <param name="db">The context.</param>
    /// <param name="cancellationToken">Cancels the upgrade.</param>
    public static Task AddMissingAsync(BallastDbContext db, CancellationToken cancellationToken) =>
        SchemaColumns.AddMissingAsync(db, [(Table, Column, "TEXT NOT NULL DEFAULT ''")], cancellationToken); // empty reads as "{}"

    /// <summary>Writes the access-log settings of <paramref name="spec"/> to its row.</summary>
    public static void Apply(FrontendEntity row, FrontendSpec spec) => row.LogJson = JsonSerializer.Serialize(
        new FrontendAccessLog(AccessLogMapping.CanonicalLogs(spec), spec.OptionHttplog, spec.OptionTcplog, spec.OptionDontlognull, spec.LogFormat ?? string.Empty,
            HeaderCaptureMapping.Canonical(spec.CaptureRequestHeaders), HeaderCaptureMapping.Canonical(spec.CaptureResponseHeaders)),
        Json);

    /// <summary>Adds the access-log settings stored in <paramref name="row"/> to <paramref name="spec"/>.</summary>
    public static FrontendSpec Read(FrontendEntity row, FrontendSpec spec)
    {
        var log = JsonSerializer.Deserialize<FrontendAccessLog>(string.IsNullOrEmpty(row.LogJson) ? "{}" : row.LogJson, Json) ?? new FrontendAccessLog();
        return spec with
        {
            Logs = log.Logs ?? [],
            OptionHttplog = log.OptionHttplog,
            OptionTcplog = log.OptionTcplog,
            OptionDontlognull = log.OptionDontlognull,
            LogFormat = log.LogFormat ?? string.Empty,
            CaptureRequestHeaders = log.CaptureRequestHeaders ?? [],
            CaptureResponseHeaders = log.CaptureResponseHeaders ?? [],
        };
    }

    /// <summary>The JSON of <c>Frontends.LogJson</c>.</summary>
    /// <param name="Logs">log lines.</param>
    /// <param name="OptionHttplog">option httplog.</param>
    /// <param name="OptionTcplog">option tcplog.</param>
    /// <param name="OptionDontlognull">option dontlognull.</param>
    /// <param name="LogFormat">log-format.</param>
    /// <param name="CaptureRequestHeaders">capture request header lines.</param>
    /// <param name="CaptureResponseHeaders">capture response header lines.</param>
    private sealed record FrontendAccessLog(
        IReadOnlyList<string>? Logs = null,
        bool OptionHttplog = false,
        bool OptionTcplog = false,
        bool OptionDontlognull = false,
        string? LogFormat = null,
        IReadOnlyList<HeaderCaptureSpec>? CaptureRequestHeaders = null,
        IReadOnlyList<HeaderCaptureSpec>? CaptureResponseHeaders = null);
}
