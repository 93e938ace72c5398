using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Harrier.Core.Collections;

namespace Harrier.State.Codec;

/// <summary>A value map is stored as a JSON object with its keys in ordinal order.</summary>
internal sealed class ValueMapConverter<TValue> : JsonConverter<ValueMap<TValue>>
{
    public override ValueMap<TValue> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected an object for ValueMap<{typeof(TValue).Name}>.");
        }
        var info = InfoFor(options);
        var items = new List<KeyValuePair<string, TValue>>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            reader.Read();
            items.Add(new(key, JsonSerializer.Deserialize(ref reader, info)!));
        }
        return new ValueMap<TValue>(items);
    }

    public override void Write(Utf8JsonWriter writer, ValueMap<TValue> value, JsonSerializerOptions options)
    {
        var info = InfoFor(options);
        writer.WriteStartObject();
        foreach (var (key, item) in value)
        {
            writer.WritePropertyName(key);
            JsonSerializer.Serialize(writer, item, info);
        }
        writer.WriteEndObject();
    }

    // A converter instance belongs to one options instance, so caching the element metadata here is safe.
    private JsonTypeInfo<TValue>? _info;

    private JsonTypeInfo<TValue> InfoFor(JsonSerializerOptions options) =>
        _info ??= (JsonTypeInfo<TValue>)options.GetTypeInfo(typeof(TValue));
}
