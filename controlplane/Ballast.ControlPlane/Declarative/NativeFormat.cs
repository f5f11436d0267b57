using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Ballast.ControlPlane.Model;

namespace Ballast.ControlPlane.Declarative;

/// <summary>
/// The native declarative file: admin API JSON of a whole configuration, <c>{"frontends":[...],"backends":[{...,
/// "servers":[...]}]}</c> (<see cref="ConfigSpec"/> with the admin API's JSON conventions, so model fields appear
/// here as soon as the API has them). An optional top-level <c>"$schema"</c> is allowed for editors; any other unknown
/// field is an error, so a typo cannot silently drop a setting.
/// </summary>
internal static class NativeFormat
{
    /// <summary>The top-level property editors use to find the JSON Schema; ignored on read.</summary>
    public const string SchemaProperty = "$schema";

    /// <summary>Media type of the native format.</summary>
    public const string ContentType = "application/json";

    /// <summary>Admin API conventions (compact): what the diff compares.</summary>
    public static readonly JsonSerializerOptions Json = ModelJson.Create();

    /// <summary>Admin API conventions, indented: what the native export writes.</summary>
    public static readonly JsonSerializerOptions Indented = new(ModelJson.Create()) { WriteIndented = true };

    /// <summary>Admin API conventions with unknown members rejected: how native files are read.</summary>
    public static readonly JsonSerializerOptions Strict = new(ModelJson.Create())
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(), // the schema exporter needs it set explicitly
    };

    /// <summary>Reads a native file.</summary>
    /// <exception cref="JsonException">Not JSON, not an object, a wrong type or an unknown field; <see cref="JsonException.Path"/> says where.</exception>
    public static ConfigSpec Read(string text)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new JsonException($"is not valid JSON: {ex.Message}", "$", ex.LineNumber, ex.BytePositionInLine, ex);
        }

        if (node is not JsonObject root)
        {
            throw new JsonException("must be a JSON object: {\"frontends\":[...],\"backends\":[...]}", "$", null, null);
        }

        root.Remove(SchemaProperty);
        try
        {
            return root.Deserialize<ConfigSpec>(Strict) ?? new ConfigSpec();
        }
        catch (JsonException ex) when (ex.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            throw new JsonException("is not a field of this object (see GET /api/v1/schema/native)", ex.Path, ex.LineNumber, ex.BytePositionInLine, ex);
        }
    }

    /// <summary>Writes <paramref name="config"/> as an indented native file.</summary>
    public static string Write(ConfigSpec config) => JsonSerializer.Serialize(config, Indented) + "\n";
}
