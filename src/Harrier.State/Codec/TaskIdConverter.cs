using System.Text.Json;
using System.Text.Json.Serialization;
using Harrier.Core.Ids;

namespace Harrier.State.Codec;

/// <summary>A TaskId is stored as its string value.</summary>
internal sealed class TaskIdConverter : JsonConverter<TaskId>
{
    public override TaskId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetString() ?? throw new JsonException("A TaskId must not be null."));

    public override void Write(Utf8JsonWriter writer, TaskId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
