using System.Text.Json;
using Ballast.ControlPlane.Declarative;
using Ballast.ControlPlane.Model;
using Ballast.ControlPlane.Store;

namespace Ballast.ControlPlane.Api;

/// <summary><c>POST /api/v1/apply</c> and <c>GET /api/v1/schema/native</c>.</summary>
internal static class DeclarativeEndpoints
{
    /// <summary>Audit action of an apply.</summary>
    public const string ApplyAction = "apply";

    /// <summary>Maps the declarative endpoints.</summary>
    public static void MapDeclarativeEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/apply", async (HttpRequest request, ConfigWriter writer, CancellationToken ct, bool? dryRun) =>
            {
                var text = await RequestText.ReadAsync(request, ct);
                ConfigSpec config;
                try
                {
                    config = NativeFormat.Read(text);
                }
                catch (JsonException ex)
                {
                    return TypedResults.BadRequest(BadRequestMiddleware.Describe(new BadHttpRequestException("invalid native configuration", ex)));
                }

                var result = await writer.WriteAsync(config, ReplaceScope.Everything, dryRun ?? false, ApiResults.Actor, ApplyAction, summary => summary, ct);
                return result.Succeeded
                    ? TypedResults.Ok(new ApplyResponse(dryRun ?? false, result.Changes, result.Summary))
                    : ApiResults.Invalid(result.Errors);
            })
            .WithTags("Declarative").WithName("Apply")
            .WithSummary("Replaces the whole working configuration with a native declarative file and returns the diff; ballastctl apply FILE|DIR [--dry-run].")
            .WithDescription(
                "The body is the native format: {\"frontends\":[...],\"backends\":[{...,\"servers\":[...]}]} in the admin API's JSON shapes " +
                "(schema: GET /api/v1/schema/native). Objects absent from the file are removed; a backend without 'servers' has none. " +
                "Every field is checked first: 400 for malformed JSON, wrong types or unknown fields, 422 naming object and field for " +
                "invalid values; either way nothing changes. ?dryRun=true only returns the diff. Nothing is published. Keep the file " +
                "in git and run 'ballastctl apply' from CI, then 'ballastctl publish MESSAGE'.")
            .DocumentBody("application/json", typeof(ConfigSpec), "The native declarative file; an optional top-level \"$schema\" is ignored.")
            .Produces<ApplyResponse>().Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status413PayloadTooLarge).Produces<ErrorResponse>(StatusCodes.Status422UnprocessableEntity);

        api.MapGet("/schema/native", (NativeSchema schema) => TypedResults.Text(schema.Text, NativeSchema.ContentType))
            .WithTags("Declarative").WithName("GetNativeSchema")
            .WithSummary("JSON Schema (draft 2020-12) of the native declarative file, generated from the model; also in deploy/schema/ballast-config.schema.json.")
            .Produces<string>(StatusCodes.Status200OK, NativeSchema.ContentType);
    }
}
