using System.Text.Json;

namespace Harrier.Api.Apps;

/// <summary>Small writing pieces shared by the app writers.</summary>
internal static class JsonParts
{
    public static void Double(Utf8JsonWriter w, string name, double value)
    {
        w.WritePropertyName(name);
        w.WriteRawValue(AppJsonWriter.FormatDouble(value), skipInputValidation: true);
    }

    public static void Limit(Utf8JsonWriter w, string name, double? value)
    {
        if (value is not { } v)
        {
            return;
        }
        if (double.IsPositiveInfinity(v))
        {
            w.WriteString(name, "unlimited");
        }
        else
        {
            Double(w, name, v);
        }
    }

    public static void StringArray(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }
        w.WriteEndArray();
    }

    public static void StringMap(Utf8JsonWriter w, string name, IEnumerable<KeyValuePair<string, string>> values)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in values)
        {
            w.WriteString(key, value);
        }
        w.WriteEndObject();
    }
}
