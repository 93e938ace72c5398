using System.Text.Json;
using System.Text.Json.Serialization;
using Harrier.Core.Time;

namespace Harrier.State.Codec;

/// <summary>A timestamp is stored as Unix milliseconds: exact, compact, and independent of formatting rules.</summary>
internal sealed class TimestampConverter : JsonConverter<Timestamp>
{
    public override Timestamp Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetInt64());

    public override void Write(Utf8JsonWriter writer, Timestamp value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(value.UnixMilliseconds);
}
