using System.Text.Json;
using System.Text.Json.Serialization;
using Harrier.Core.Apps;

namespace Harrier.Protocol.Json;

/// <summary>
/// <see cref="ResourceLimitsSpec"/> as <c>{"cpus": 2, "mem": "unlimited"}</c>: a number, the string
/// <c>"unlimited"</c> for +Infinity (JSON has no infinity), or absent for "no limit beyond the request".
/// </summary>
internal sealed class ResourceLimitsSpecConverter : JsonConverter<ResourceLimitsSpec>
{
    private const string Unlimited = "unlimited";

    public override ResourceLimitsSpec Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected an object for resource limits, got {reader.TokenType}.");
        }
        double? cpus = null, mem = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "cpus":
                    cpus = ReadLimit(ref reader, name);
                    break;
                case "mem":
                    mem = ReadLimit(ref reader, name);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        return new ResourceLimitsSpec(cpus, mem);
    }

    public override void Write(Utf8JsonWriter writer, ResourceLimitsSpec value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        WriteLimit(writer, "cpus", value.Cpus);
        WriteLimit(writer, "mem", value.Mem);
        writer.WriteEndObject();
    }

    private static double? ReadLimit(ref Utf8JsonReader reader, string name) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.Number => reader.GetDouble(),
        JsonTokenType.String when reader.ValueTextEquals(Unlimited) => double.PositiveInfinity,
        _ => throw new JsonException($"Limit '{name}' must be a number or \"{Unlimited}\"."),
    };

    private static void WriteLimit(Utf8JsonWriter writer, string name, double? limit)
    {
        if (limit is not { } value)
        {
            return;
        }
        if (double.IsPositiveInfinity(value))
        {
            writer.WriteString(name, Unlimited);
        }
        else if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            throw new JsonException($"Limit '{name}' cannot be {value} on the wire.");
        }
    }
}
