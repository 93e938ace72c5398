using System.Text.Json;
using System.Text.Json.Serialization;
using Harrier.Core.Collections;

namespace Harrier.Protocol.Json;

/// <summary><see cref="ValueMap{TValue}"/> as a JSON object (keys in ordinal order); a repeated key is malformed.</summary>
internal sealed class ValueMapConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(ValueMap<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(
            typeof(ValueMapConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class ValueMapConverter<TValue> : JsonConverter<ValueMap<TValue>>
    {
        public override ValueMap<TValue> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException($"Expected an object, got {reader.TokenType}.");
            }
            var items = new Dictionary<string, TValue>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var key = reader.GetString()!;
                reader.Read();
                var value = JsonSerializer.Deserialize<TValue>(ref reader, options)
                    ?? throw new JsonException($"Value of '{key}' must not be null.");
                if (!items.TryAdd(key, value))
                {
                    throw new JsonException($"Key '{key}' appears twice.");
                }
            }
            return new ValueMap<TValue>(items);
        }

        public override void Write(Utf8JsonWriter writer, ValueMap<TValue> value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            foreach (var (key, item) in value)
            {
                writer.WritePropertyName(key);
                JsonSerializer.Serialize(writer, item, options);
            }
            writer.WriteEndObject();
        }
    }
}
