using System.Text.Json;
using System.Text.Json.Serialization;
using Harrier.Core.Ids;

namespace Harrier.State.Codec;

/// <summary>A AgentId is stored as its string value.</summary>
internal sealed class AgentIdConverter : JsonConverter<AgentId>
{
    public override AgentId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetString() ?? throw new JsonException("A AgentId must not be null."));

    public override void Write(Utf8JsonWriter writer, AgentId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
