using Ballast.ControlPlane.Model;
using Ballast.ControlPlane.Store;
using Ballast.ControlPlane.Validation;

namespace Ballast.ControlPlane.Api;

/// <summary><c>/api/v1/backends</c>.</summary>
internal static class BackendEndpoints
{
    /// <summary>Maps the backend endpoints.</summary>
    public static void MapBackendEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/backends").WithTags("Backends");

        group.MapGet("/", async (WorkingConfigStore store, CancellationToken ct) => TypedResults.Ok(await store.ListBackendsAsync(ct)))
            .WithName("ListBackends").WithSummary("Lists the backends of the working configuration, with their servers.");

        group.MapGet("/{name}", async (string name, WorkingConfigStore store, CancellationToken ct) =>
                await store.GetBackendAsync(name, ct) is { } backend ? TypedResults.Ok(backend) : ApiResults.NotFound(ObjectNames.Backend(name)))
            .WithName("GetBackend").WithSummary("Gets one backend with its servers.")
            .Produces<BackendSpec>().Produces<ErrorResponse>(StatusCodes.Status404NotFound);

        group.MapPut("/{name}", async (string name, BackendSpec backend, WorkingConfigStore store, CancellationToken ct) =>
            {
                if (ApiResults.NameMismatch(ObjectNames.Backend(name), name, backend.Name) is { } mismatch)
                {
                    return ApiResults.Invalid([mismatch]);
                }

                var result = await store.PutBackendAsync(backend with { Name = name }, ApiResults.Actor, ct);
                return ApiResults.ForPut(result, $"/api/v1/backends/{name}");
            })
            .WithName("PutBackend")
            .WithSummary("Creates or replaces a backend; 'servers', when present, replaces its servers, when absent keeps them.")
            .Produces<BackendSpec>().Produces<BackendSpec>(StatusCodes.Status201Created)
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest).Produces<ErrorResponse>(StatusCodes.Status422UnprocessableEntity);

        group.MapDelete("/{name}", async (string name, WorkingConfigStore store, CancellationToken ct) =>
                ApiResults.ForDelete(await store.DeleteBackendAsync(name, ApiResults.Actor, ct)))
            .WithName("DeleteBackend").WithSummary("Deletes a backend and its servers (409 while a frontend uses it).")
            .Produces(StatusCodes.Status204NoContent).Produces<ErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ErrorResponse>(StatusCodes.Status409Conflict);
    }
}
