using System.Text.Json;

namespace Harrier.LoadBalancer.Marathon;

/// <summary>Typed reads of an untrusted JSON object: a field of the wrong type is an <see cref="AppFormatException"/>.</summary>
internal static class JsonFields
{
    public static JsonElement? Get(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public static string? String(JsonElement obj, string name) => Get(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        _ => throw new AppFormatException($"'{name}' is not a string"),
    };

    public static JsonElement? Object(JsonElement obj, string name) => Get(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Object } v => v,
        _ => throw new AppFormatException($"'{name}' is not an object"),
    };

    public static IEnumerable<JsonElement> Array(JsonElement obj, string name) => Get(obj, name) switch
    {
        null => [],
        { ValueKind: JsonValueKind.Array } v => v.EnumerateArray(),
        _ => throw new AppFormatException($"'{name}' is not an array"),
    };

    public static long? Integer(JsonElement obj, string name) => Get(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } v when v.TryGetInt64(out var n) => n,
        _ => throw new AppFormatException($"'{name}' is not an integer"),
    };

    /// <summary>A port number (0–65535) or null when absent.</summary>
    public static int? Port(JsonElement obj, string name) => Integer(obj, name) switch
    {
        null => null,
        >= 0 and <= 65535 and var n => (int)n,
        var n => throw new AppFormatException($"'{name}' {n} is not a port"),
    };

    public static int PortValue(JsonElement v, string what) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) && n is >= 0 and <= 65535
            ? n
            : throw new AppFormatException($"{what} {Show(v)} is not a port");

    public static string Show(JsonElement v)
    {
        var raw = v.GetRawText();
        return raw.Length > 40 ? raw[..40] + "…" : raw;
    }
}
