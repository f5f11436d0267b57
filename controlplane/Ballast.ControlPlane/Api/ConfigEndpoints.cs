using Ballast.ControlPlane.Model;
using Ballast.ControlPlane.Publishing;
using Ballast.ControlPlane.Store;

namespace Ballast.ControlPlane.Api;

/// <summary><c>/api/v1/config</c>, <c>/api/v1/publish</c> and <c>/api/v1/versions</c>.</summary>
internal static class ConfigEndpoints
{
    /// <summary>Maps the configuration and version endpoints.</summary>
    public static void MapConfigEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/config", async (WorkingConfigStore store, CancellationToken ct) => TypedResults.Ok(await store.GetConfigAsync(ct)))
            .WithTags("Config").WithName("GetWorkingConfig").WithSummary("Gets the whole working (unpublished) configuration.");

        api.MapPost("/publish", async (PublishRequest? request, ConfigPublisher publisher, CancellationToken ct) =>
            {
                var result = await publisher.PublishAsync(request?.Message ?? string.Empty, ApiResults.Actor, ct);
                return result.Version is { } version ? TypedResults.Ok(new PublishResponse(version.Version)) : ApiResults.Invalid(result.Errors);
            })
            .WithTags("Config").WithName("Publish")
            .WithSummary("Validates the working configuration, stores it as a new immutable version and streams it to every node.")
            .Produces<PublishResponse>().Produces<ErrorResponse>(StatusCodes.Status422UnprocessableEntity);

        api.MapGet("/versions", async (VersionStore versions, CancellationToken ct) =>
                TypedResults.Ok((await versions.ListAsync(ct)).Select(VersionResponse.From).ToArray()))
            .WithTags("Versions").WithName("ListVersions").WithSummary("Lists published versions, newest first.");

        api.MapGet("/versions/{version:long}", async (long version, VersionStore versions, CancellationToken ct) =>
            {
                if (await versions.GetAsync(version, ct) is not { } detail)
                {
                    return ApiResults.NotFound($"version {version}");
                }

                var v = detail.Info;
                return TypedResults.Ok(new VersionDetailResponse(v.Version, v.Author, v.CreatedAt, v.Message, v.Hash, SpecMapping.FromProto(detail.Config)));
            })
            .WithTags("Versions").WithName("GetVersion").WithSummary("Gets one published version with its configuration.")
            .Produces<VersionDetailResponse>().Produces<ErrorResponse>(StatusCodes.Status404NotFound);
    }
}
