using System.Text.Json;
using System.Text.Json.Serialization;
using Harrier.Core.Ids;

namespace Harrier.State.Codec;

/// <summary>
/// A path id is stored as its canonical string. <c>default(PathId)</c> reads "/" and so comes back as
/// <see cref="PathId.Root"/>; stored ids are always made by <see cref="PathId.Parse"/> or <see cref="PathId.FromCanonical"/>.
/// </summary>
internal sealed class PathIdConverter : JsonConverter<PathId>
{
    public override PathId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        PathId.FromCanonical(reader.GetString() ?? throw new JsonException("A path id must not be null."));

    public override void Write(Utf8JsonWriter writer, PathId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
