using System.Text.Json.Nodes;

namespace Harrier.Client;

/// <summary>One image in an agent's store, as <c>GET /v2/agents/{id}/images</c> lists it.</summary>
public sealed record ImageSummary(
    string Reference,
    string ManifestDigest,
    string ConfigDigest,
    long Size,
    string? LastUsed,
    IReadOnlyList<string> Tasks,
    IReadOnlyList<string> Apps,
    JsonObject Raw)
{
    public static ImageSummary FromJson(JsonObject o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return new ImageSummary(
            o.Str("reference") ?? "",
            o.Str("manifestDigest") ?? "",
            o.Str("configDigest") ?? "",
            (long)(o.Number("size") ?? 0),
            o.Str("lastUsed"),
            o.Strings("tasks"),
            o.Strings("apps"),
            o);
    }
}
