using Ballast.ControlPlane.Haproxy;

namespace Ballast.ControlPlane.Api;

/// <summary><c>POST /api/v1/import/haproxy</c>.</summary>
internal static class ImportEndpoints
{
    /// <summary>Maps the import endpoint.</summary>
    public static void MapImportEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/import/haproxy", async (HttpRequest request, HaproxyImportService import, CancellationToken ct, bool? dryRun, bool? replace) =>
            {
                var text = await RequestText.ReadAsync(request, ct);
                var response = await import.ImportAsync(text, dryRun ?? false, replace ?? false, ApiResults.Actor, ct);
                return response.Errors.Count > 0 ? TypedResults.UnprocessableEntity(response) : (IResult)TypedResults.Ok(response);
            })
            .WithTags("Import and export").WithName("ImportHaproxy")
            .WithSummary("Imports a haproxy.cfg (text/plain body, at most 16 MiB) into the working configuration; ballastctl import-haproxy FILE [--dry-run].")
            .WithDescription(
                "Frontends, backends and servers are mapped to the Ballast model; every line that is not is reported with its line, " +
                "column, section, keyword, severity (unsupported, ignored, warning, error) and reason. ?dryRun=true only reports. " +
                "Otherwise imported frontends and backends replace the working objects of the same names and all others are kept; " +
                "?replace=true replaces the whole working configuration. Nothing is published. Errors (syntax, references, values " +
                "the model rejects) answer 422 and store nothing.")
            .DocumentBody("text/plain", typeof(string), "The haproxy.cfg file (read as UTF-8 whatever the Content-Type).")
            .Produces<ImportResponse>().Produces<ImportResponse>(StatusCodes.Status422UnprocessableEntity)
            .Produces<ErrorResponse>(StatusCodes.Status413PayloadTooLarge);
    }
}
