using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harrier.Protocol.Json;

/// <summary>A value type written as one JSON string (ids, paths).</summary>
internal sealed class StringValueConverter<T>(Func<string, T> parse, Func<T, string> format) : JsonConverter<T>
    where T : struct
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a string for {typeof(T).Name}, got {reader.TokenType}.");
        }
        var text = reader.GetString()!;
        if (text.Length == 0)
        {
            throw new JsonException($"{typeof(T).Name} must not be empty.");
        }
        return parse(text);
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(format(value));
}
