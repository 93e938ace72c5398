using System.Text.Json;
using System.Text.Json.Serialization;
using Harrier.Core.Ids;

namespace Harrier.State.Codec;

/// <summary>A DeploymentId is stored as its string value.</summary>
internal sealed class DeploymentIdConverter : JsonConverter<DeploymentId>
{
    public override DeploymentId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetString() ?? throw new JsonException("A DeploymentId must not be null."));

    public override void Write(Utf8JsonWriter writer, DeploymentId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
