using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Ballast.ControlPlane.Api;

/// <summary>
/// Describes a request body the endpoint reads itself (whatever its Content-Type, so <c>curl --data-binary</c>
/// works without a header) in the OpenAPI document. <c>Accepts</c> metadata would make routing refuse other
/// content types with an empty 415.
/// </summary>
internal static class OpenApiBodies
{
    /// <summary>Documents the body as <paramref name="mediaType"/> with the schema of <paramref name="schemaType"/>.</summary>
    public static TBuilder DocumentBody<TBuilder>(this TBuilder builder, string mediaType, Type schemaType, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(schemaType, null, cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType> { [mediaType] = new OpenApiMediaType { Schema = schema } },
            };
        });
}
