using Ballast.ControlPlane.Model;
using Ballast.ControlPlane.Store;
using Ballast.ControlPlane.Validation;

namespace Ballast.ControlPlane.Api;

/// <summary><c>/api/v1/backends/{backend}/servers</c>.</summary>
internal static class ServerEndpoints
{
    /// <summary>Maps the server endpoints.</summary>
    public static void MapServerEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/backends/{backend}/servers").WithTags("Servers");

        group.MapGet("/", async (string backend, WorkingConfigStore store, CancellationToken ct) =>
                await store.ListServersAsync(backend, ct) is { } servers ? TypedResults.Ok(servers) : ApiResults.NotFound(ObjectNames.Backend(backend)))
            .WithName("ListServers").WithSummary("Lists the servers of a backend.")
            .Produces<IReadOnlyList<ServerSpec>>().Produces<ErrorResponse>(StatusCodes.Status404NotFound);

        group.MapGet("/{server}", async (string backend, string server, WorkingConfigStore store, CancellationToken ct) =>
            {
                var servers = await store.ListServersAsync(backend, ct);
                return servers?.FirstOrDefault(s => s.Name == server) is { } found
                    ? TypedResults.Ok(found)
                    : ApiResults.NotFound(servers is null ? ObjectNames.Backend(backend) : ObjectNames.Server(backend, server));
            })
            .WithName("GetServer").WithSummary("Gets one server.")
            .Produces<ServerSpec>().Produces<ErrorResponse>(StatusCodes.Status404NotFound);

        group.MapPut("/{server}", async (string backend, string server, ServerSpec body, WorkingConfigStore store, CancellationToken ct) =>
            {
                if (ApiResults.NameMismatch(ObjectNames.Server(backend, server), server, body.Name) is { } mismatch)
                {
                    return ApiResults.Invalid([mismatch]);
                }

                var result = await store.PutServerAsync(backend, body with { Name = server }, ApiResults.Actor, ct);
                return ApiResults.ForPut(result, $"/api/v1/backends/{backend}/servers/{server}");
            })
            .WithName("PutServer").WithSummary("Creates or replaces a server of an existing backend.")
            .Produces<ServerSpec>().Produces<ServerSpec>(StatusCodes.Status201Created)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound).Produces<ErrorResponse>(StatusCodes.Status422UnprocessableEntity);

        group.MapPatch("/{server}", async (string backend, string server, ServerPatch patch, WorkingConfigStore store, CancellationToken ct) =>
                ApiResults.ForPut(await store.PatchServerAsync(backend, server, patch, ApiResults.Actor, ct), $"/api/v1/backends/{backend}/servers/{server}"))
            .WithName("PatchServer").WithSummary("Changes some of weight, state, maxconn, address, port and check of a server.")
            .Produces<ServerSpec>().Produces<ErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ErrorResponse>(StatusCodes.Status422UnprocessableEntity);

        group.MapDelete("/{server}", async (string backend, string server, WorkingConfigStore store, CancellationToken ct) =>
                ApiResults.ForDelete(await store.DeleteServerAsync(backend, server, ApiResults.Actor, ct)))
            .WithName("DeleteServer").WithSummary("Deletes a server.")
            .Produces(StatusCodes.Status204NoContent).Produces<ErrorResponse>(StatusCodes.Status404NotFound);
    }
}
