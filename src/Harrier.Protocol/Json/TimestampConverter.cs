using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Harrier.Core.Time;

namespace Harrier.Protocol.Json;

/// <summary>
/// <see cref="Timestamp"/> as Marathon writes it: <c>2026-11-22T08:30:00.123Z</c> (UTC, exactly 3 fractional digits),
/// which is lossless because a Timestamp holds whole milliseconds. Only that exact form is read back, so a
/// sender's clock format cannot silently shift a time.
/// </summary>
internal sealed class TimestampConverter : JsonConverter<Timestamp>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public override Timestamp Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected an ISO-8601 timestamp string, got {reader.TokenType}.");
        }
        var text = reader.GetString()!;
        if (!DateTime.TryParseExact(text, Format, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            throw new JsonException($"'{text}' is not a timestamp of the form {Format}.");
        }
        return Timestamp.From(new DateTimeOffset(time, TimeSpan.Zero));
    }

    public override void Write(Utf8JsonWriter writer, Timestamp value, JsonSerializerOptions options) => WriteValue(writer, value);

    /// <summary>Writes the string value without allocating one (the agent command writer shares it).</summary>
    internal static void WriteValue(Utf8JsonWriter writer, Timestamp value)
    {
        Span<char> text = stackalloc char[32];
        if (!value.ToDateTimeOffset().UtcDateTime.TryFormat(text, out var length, Format, CultureInfo.InvariantCulture))
        {
            throw new JsonException($"Timestamp {value} does not fit the wire format.");
        }
        writer.WriteStringValue(text[..length]);
    }
}
