using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harrier.Client;

/// <summary>
/// Lenient field access for Marathon JSON: a missing field, a null, or a value of the wrong kind reads as absent,
/// because older servers send <c>"args": null</c> and numbers as <c>5</c> or <c>5.0</c> interchangeably.
/// </summary>
internal static class JsonFieldReader
{
    public static string? Str(this JsonObject o, string name) =>
        o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static double? Number(this JsonObject o, string name) =>
        o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d) ? d : null;

    public static int? Int(this JsonObject o, string name) => o.Number(name) is { } d ? (int)d : null;

    public static bool? Bool(this JsonObject o, string name) =>
        o[name] is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : null;

    public static JsonObject? Obj(this JsonObject o, string name) => o[name] as JsonObject;

    public static IEnumerable<JsonObject> Objects(this JsonObject o, string name) =>
        o[name] is JsonArray a ? a.OfType<JsonObject>() : [];

    public static IReadOnlyList<string> Strings(this JsonObject o, string name) =>
        o[name] is JsonArray a
            ? [.. a.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>())]
            : [];

    public static IReadOnlyList<int> Ints(this JsonObject o, string name) =>
        o[name] is JsonArray a
            ? [.. a.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.Number).Select(v => (int)v.GetValue<double>())]
            : [];

    public static IReadOnlyDictionary<string, string> StringMap(this JsonObject o, string name) =>
        o[name] is JsonObject m
            ? m.Where(kv => kv.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                .ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
