using Ballast.ControlPlane.Store;

namespace Ballast.ControlPlane.Api;

/// <summary><c>/api/v1/audit</c>.</summary>
internal static class AuditEndpoints
{
    /// <summary>Maps the audit endpoint.</summary>
    public static void MapAuditEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", async (AuditLog audit, CancellationToken ct, int? limit) =>
            {
                var take = limit ?? 100;
                return take is < 1 or > 1000
                    ? ApiResults.Invalid([new("request", "limit", $"must be 1-1000 (got {take})")])
                    : TypedResults.Ok((await audit.ListAsync(take, ct)).Select(AuditEntryResponse.From).ToArray());
            })
            .WithTags("Audit").WithName("ListAudit").WithSummary("Lists audit entries (every change and publish), newest first; ?limit=1-1000, default 100.")
            .Produces<AuditEntryResponse[]>().Produces<ErrorResponse>(StatusCodes.Status422UnprocessableEntity);
    }
}
