using System.Text.Json;
using System.Text.Json.Serialization;
using Harrier.Core.Ids;

namespace Harrier.State.Codec;

/// <summary>A InstanceId is stored as its string value.</summary>
internal sealed class InstanceIdConverter : JsonConverter<InstanceId>
{
    public override InstanceId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetString() ?? throw new JsonException("A InstanceId must not be null."));

    public override void Write(Utf8JsonWriter writer, InstanceId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
