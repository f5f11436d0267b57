using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using Ballast.ControlPlane.Model;

namespace Ballast.ControlPlane.Declarative;

/// <summary>
/// The JSON Schema (draft 2020-12) of the native declarative file, generated from <see cref="ConfigSpec"/> and the
/// admin API's JSON conventions with <see cref="JsonSchemaExporter"/>, so it follows the model. Enums are listed with
/// their HAProxy words; descriptions are the model's XML doc summaries. Served at <c>GET /api/v1/schema/native</c>
/// and committed as <c>deploy/schema/ballast-config.schema.json</c> (a test fails when that copy is out of date).
/// </summary>
internal sealed class NativeSchema
{
    /// <summary>Media type of the schema.</summary>
    public const string ContentType = "application/schema+json";

    private readonly XmlDocSummaries _docs = XmlDocSummaries.For(typeof(ConfigSpec).Assembly);
    private string? _text;

    /// <summary>The schema as indented JSON text with a final newline (the committed file's exact content).</summary>
    public string Text => _text ??= Generate().ToJsonString(
        new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).ReplaceLineEndings("\n") + "\n";

    /// <summary>Generates the schema as a JSON object.</summary>
    public JsonObject Generate()
    {
        var exporter = new JsonSchemaExporterOptions { TransformSchemaNode = Refine };
        var body = JsonSchemaExporter.GetJsonSchemaAsNode(NativeFormat.Strict, typeof(ConfigSpec), exporter).AsObject();
        var schema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["title"] = "Ballast native configuration",
            ["description"] = "A whole Ballast configuration in admin API JSON. POST /api/v1/apply (ballastctl apply FILE|DIR) " +
                              "replaces the working configuration with it; GET /api/v1/export/native (ballastctl export native) writes it.",
        };
        foreach (var (name, value) in body.ToArray())
        {
            body.Remove(name);
            schema[name] = value;
        }

        // Editors add "$schema" to point at this file; the reader ignores it.
        if (schema["properties"] is JsonObject properties)
        {
            properties.Insert(0, NativeFormat.SchemaProperty, new JsonObject { ["type"] = "string", ["description"] = "URI of this schema (ignored)." });
        }

        return schema;
    }

    // Enums as their HAProxy words; unsigned numbers with their range; the document and list items are never null
    // (only properties such as "servers" and "healthCheck" accept null); descriptions from the XML docs.
    private JsonNode Refine(JsonSchemaExporterContext context, JsonNode schema)
    {
        var type = Nullable.GetUnderlyingType(context.TypeInfo.Type) ?? context.TypeInfo.Type;
        var obj = schema as JsonObject;
        if (HaproxyWords.IsMapped(type))
        {
            var words = new JsonArray(HaproxyWords.WordsOf(type).Select(w => (JsonNode)JsonValue.Create(w)).ToArray());
            obj = new JsonObject { ["type"] = "string", ["enum"] = words };
        }

        if (obj is null)
        {
            return schema;
        }

        if (type == typeof(uint))
        {
            obj["minimum"] = 0;
            obj["maximum"] = uint.MaxValue;
        }

        if (context.PropertyInfo is null && obj["type"] is JsonArray types && types.Count == 2 && types.Any(t => t?.GetValue<string>() == "null"))
        {
            obj["type"] = types.First(t => t?.GetValue<string>() != "null")!.GetValue<string>();
        }

        var description = context.PropertyInfo?.AttributeProvider is System.Reflection.MemberInfo member ? _docs.Of(member) : _docs.Of(type);
        if (description is not null && context.Path.Length > 0)
        {
            obj.Insert(0, "description", description);
        }

        return obj;
    }
}
