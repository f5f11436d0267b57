using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ballast.ControlPlane.Model;

/// <summary>
/// JSON converter for the ballast.v1 enums as lower-case HAProxy words (<c>"roundrobin"</c>, <c>"drain"</c>);
/// numbers and unknown words are rejected with a message listing the allowed words.
/// </summary>
internal sealed class HaproxyEnumConverterFactory : JsonConverterFactory
{
    /// <inheritdoc />
    public override bool CanConvert(Type typeToConvert) => HaproxyWords.IsMapped(typeToConvert);

    /// <inheritdoc />
    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(HaproxyEnumConverter<>).MakeGenericType(typeToConvert))!;
}

/// <summary>Converter for one ballast.v1 enum; see <see cref="HaproxyEnumConverterFactory"/>.</summary>
/// <typeparam name="TEnum">The enum type.</typeparam>
internal sealed class HaproxyEnumConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    /// <inheritdoc />
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException(HaproxyWords.Expected<TEnum>(reader.TokenType.ToString().ToLowerInvariant()));
        }

        var word = reader.GetString();
        return HaproxyWords.TryParse<TEnum>(word, out var value) ? value : throw new JsonException(HaproxyWords.Expected<TEnum>(word));
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
        writer.WriteStringValue(HaproxyWords.ToWord(value));
}
