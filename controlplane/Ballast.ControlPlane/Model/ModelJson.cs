using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ballast.ControlPlane.Model;

/// <summary>The JSON conventions of the admin API: camelCase, HAProxy words for enums, nulls checked.</summary>
internal static class ModelJson
{
    /// <summary>Applies the admin API conventions to <paramref name="options"/>.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = true;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.RespectNullableAnnotations = true;
        options.Converters.Add(new HaproxyEnumConverterFactory());
        return options;
    }

    /// <summary>New options with the admin API conventions.</summary>
    public static JsonSerializerOptions Create() => Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));
}
