using System.Text.Json;
using System.Text.Json.Serialization;
using Harrier.Core.Resources;

namespace Harrier.Protocol.Json;

/// <summary>
/// <see cref="PortRange"/> as <c>{"begin":31000,"end":32000}</c>, both required. Hand-written because STJ does not
/// enforce constructor parameters of record structs: a missing <c>end</c> would silently become port 0.
/// </summary>
internal sealed class PortRangeConverter : JsonConverter<PortRange>
{
    public override PortRange Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected an object for a port range, got {reader.TokenType}.");
        }
        int? begin = null, end = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "begin":
                    begin = ReadPort(ref reader, name);
                    break;
                case "end":
                    end = ReadPort(ref reader, name);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        if (begin is not { } b || end is not { } e)
        {
            throw new JsonException("A port range needs both 'begin' and 'end'.");
        }
        return new PortRange(b, e);
    }

    public override void Write(Utf8JsonWriter writer, PortRange value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("begin", value.Begin);
        writer.WriteNumber("end", value.End);
        writer.WriteEndObject();
    }

    private static int ReadPort(ref Utf8JsonReader reader, string name) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var port)
            ? port
            : throw new JsonException($"Port range '{name}' must be an integer.");
}
