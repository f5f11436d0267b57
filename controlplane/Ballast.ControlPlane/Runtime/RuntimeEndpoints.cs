using Ballast.ControlPlane.Api;

namespace Ballast.ControlPlane.Runtime;

/// <summary>
/// <c>/api/v1/runtime</c>: runtime server operations without a new config version, as HAProxy's runtime API
/// <c>set server &lt;b&gt;/&lt;s&gt; state ready|drain|maint</c> and <c>set server &lt;b&gt;/&lt;s&gt; weight &lt;n&gt;</c>.
/// </summary>
internal static class RuntimeEndpoints
{
    /// <summary>Maps the runtime endpoints.</summary>
    public static void MapRuntimeEndpoints(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/runtime").WithTags("Runtime");

        group.MapGet("/servers", async (RuntimeOverrideService runtime, CancellationToken ct) => TypedResults.Ok(await runtime.DescribeAsync(ct)))
            .WithName("ListRuntimeServers")
            .WithSummary("Lists runtime server overrides (state, weight) and whether each node applied the current revision.");

        group.MapPut("/backends/{backend}/servers/{server}", async (string backend, string server, RuntimeServerRequest body, RuntimeOverrideService runtime, CancellationToken ct) =>
                await Result(await runtime.SetAsync(backend, server, body, ApiResults.Actor, ct), runtime, ct))
            .WithName("SetRuntimeServer")
            .WithSummary("Sets a server's runtime state and/or weight on every node, without a new config version.")
            .Produces<RuntimeServersResponse>().Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound);

        group.MapDelete("/backends/{backend}/servers/{server}", async (string backend, string server, RuntimeOverrideService runtime, CancellationToken ct) =>
                await Result(await runtime.ClearAsync(backend, server, ApiResults.Actor, ct), runtime, ct))
            .WithName("ClearRuntimeServer")
            .WithSummary("Clears a server's runtime override: its configured state and weight apply again.")
            .Produces<RuntimeServersResponse>().Produces<ErrorResponse>(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> Result(RuntimeChangeResult result, RuntimeOverrideService runtime, CancellationToken ct)
    {
        if (result.State is not null)
        {
            return TypedResults.Ok(await runtime.DescribeAsync(ct));
        }

        return result.NotFound
            ? TypedResults.NotFound(new ErrorResponse(result.Errors))
            : TypedResults.BadRequest(new ErrorResponse(result.Errors));
    }
}
