using System.Text.Json.Nodes;
using Ballast.ControlPlane.Model;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Ballast.ControlPlane.Api;

/// <summary>OpenAPI document at <c>/openapi/v1.json</c>: enum words and the bearer scheme.</summary>
internal static class OpenApiSetup
{
    /// <summary>Adds the document generator with Ballast's transformers.</summary>
    public static IServiceCollection AddBallastOpenApi(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        options.AddSchemaTransformer(DescribeEnumWords);
        options.AddDocumentTransformer(AddBearerScheme);
    });

    private static Task DescribeEnumWords(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (HaproxyWords.IsMapped(type))
        {
            schema.Type = JsonSchemaType.String;
            schema.Enum = HaproxyWords.WordsOf(type).Select(w => (JsonNode)JsonValue.Create(w)).ToList();
        }

        return Task.CompletedTask;
    }

    private static Task AddBearerScheme(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Ballast control plane admin API";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The admin token printed at start-up (Authorization: Bearer <token>).",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
        return Task.CompletedTask;
    }
}
