using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Harrier.Core.Collections;

namespace Harrier.State.Codec;

/// <summary>A value list is stored as a JSON array; elements use the context's metadata for <typeparamref name="T"/>.</summary>
internal sealed class ValueListConverter<T> : JsonConverter<ValueList<T>>
{
    public override ValueList<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"Expected an array for ValueList<{typeof(T).Name}>.");
        }
        var info = InfoFor(options);
        var builder = ImmutableArray.CreateBuilder<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            builder.Add(JsonSerializer.Deserialize(ref reader, info)!);
        }
        return new ValueList<T>(builder.DrainToImmutable());
    }

    public override void Write(Utf8JsonWriter writer, ValueList<T> value, JsonSerializerOptions options)
    {
        var info = InfoFor(options);
        writer.WriteStartArray();
        foreach (var item in value.Items)
        {
            JsonSerializer.Serialize(writer, item, info);
        }
        writer.WriteEndArray();
    }

    // A converter instance belongs to one options instance, so caching the element metadata here is safe.
    private JsonTypeInfo<T>? _info;

    private JsonTypeInfo<T> InfoFor(JsonSerializerOptions options) =>
        _info ??= (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}
