using Ballast.ControlPlane.Model;
using Ballast.ControlPlane.Store;
using Ballast.ControlPlane.Validation;

namespace Ballast.ControlPlane.Api;

/// <summary><c>/api/v1/frontends</c>.</summary>
internal static class FrontendEndpoints
{
    /// <summary>Maps the frontend endpoints.</summary>
    public static void MapFrontendEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/frontends").WithTags("Frontends");

        group.MapGet("/", async (WorkingConfigStore store, CancellationToken ct) => TypedResults.Ok(await store.ListFrontendsAsync(ct)))
            .WithName("ListFrontends").WithSummary("Lists the frontends of the working configuration.");

        group.MapGet("/{name}", async (string name, WorkingConfigStore store, CancellationToken ct) =>
                await store.GetFrontendAsync(name, ct) is { } frontend ? TypedResults.Ok(frontend) : ApiResults.NotFound(ObjectNames.Frontend(name)))
            .WithName("GetFrontend").WithSummary("Gets one frontend.")
            .Produces<FrontendSpec>().Produces<ErrorResponse>(StatusCodes.Status404NotFound);

        group.MapPut("/{name}", async (string name, FrontendSpec frontend, WorkingConfigStore store, CancellationToken ct) =>
            {
                if (ApiResults.NameMismatch(ObjectNames.Frontend(name), name, frontend.Name) is { } mismatch)
                {
                    return ApiResults.Invalid([mismatch]);
                }

                var result = await store.PutFrontendAsync(frontend with { Name = name }, ApiResults.Actor, ct);
                return ApiResults.ForPut(result, $"/api/v1/frontends/{name}");
            })
            .WithName("PutFrontend").WithSummary("Creates or replaces a frontend (201 when created, 200 when replaced).")
            .Produces<FrontendSpec>().Produces<FrontendSpec>(StatusCodes.Status201Created)
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest).Produces<ErrorResponse>(StatusCodes.Status422UnprocessableEntity);

        group.MapDelete("/{name}", async (string name, WorkingConfigStore store, CancellationToken ct) =>
                ApiResults.ForDelete(await store.DeleteFrontendAsync(name, ApiResults.Actor, ct)))
            .WithName("DeleteFrontend").WithSummary("Deletes a frontend.")
            .Produces(StatusCodes.Status204NoContent).Produces<ErrorResponse>(StatusCodes.Status404NotFound);
    }
}
