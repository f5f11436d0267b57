using Ballast.ControlPlane.Fleet;

namespace Ballast.ControlPlane.Api;

/// <summary><c>/api/v1/nodes</c> and <c>/api/v1/stats</c>.</summary>
internal static class FleetEndpoints
{
    /// <summary>Maps the fleet endpoints.</summary>
    public static void MapFleetEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/nodes", (FleetRegistry fleet) => TypedResults.Ok(fleet.ListNodes().Select(NodeResponse.From).ToArray()))
            .WithTags("Nodes").WithName("ListNodes").WithSummary("Lists known nodes with their sync status.");

        api.MapGet("/nodes/{nodeId}", (string nodeId, FleetRegistry fleet) =>
                fleet.GetNode(nodeId) is { } node ? TypedResults.Ok(NodeResponse.From(node)) : ApiResults.NotFound($"node '{nodeId}'"))
            .WithTags("Nodes").WithName("GetNode").WithSummary("Gets one node.")
            .Produces<NodeResponse>().Produces<ErrorResponse>(StatusCodes.Status404NotFound);

        api.MapGet("/stats", (FleetRegistry fleet) => TypedResults.Ok(StatsResponse.From(fleet.GetStats())))
            .WithTags("Nodes").WithName("GetStats").WithSummary("Latest HAProxy-style stats of each connected node and their sum over the fleet.");
    }
}
