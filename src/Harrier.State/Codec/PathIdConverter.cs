using System.Text.Json;
using System.Text.Json.Serialization;
using Harrier.Core.Ids;

namespace Harrier.State.Codec;

/// <summary>A path id is stored as its canonical string.</summary>
internal sealed class PathIdConverter : JsonConverter<PathId>
{
    public override PathId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        PathId.FromCanonical(reader.GetString() ?? throw new JsonException("A path id must not be null."));

    public override void Write(Utf8JsonWriter writer, PathId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
