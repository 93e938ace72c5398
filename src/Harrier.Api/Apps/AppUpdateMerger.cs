using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harrier.Api.Apps;

/// <summary>
/// Marathon's partial update on the JSON level: each top-level field of the update replaces the stored one whole.
/// Stored fields that the update's deprecated or networking fields supersede are dropped so the merged body is
/// what the user would have sent (for example <c>uris</c> replaces <c>fetch</c>, new <c>networks</c> drop the
/// port fields of the old networking mode). <c>executorResources</c> and <c>resourceLimits</c> are taken from the
/// update as they are, so leaving them out clears them (Marathon's quirk).
/// </summary>
internal static class AppUpdateMerger
{
    public static JsonObject Merge(JsonObject existing, JsonElement update)
    {
        var merged = (JsonObject)existing.DeepClone();
        foreach (var key in new[] { "version", "versionInfo", "executorResources", "resourceLimits" })
        {
            merged.Remove(key);
        }
        var given = update.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        if (given.Contains("uris"))
        {
            merged.Remove("fetch");
        }
        if (given.Contains("ports"))
        {
            merged.Remove("portDefinitions");
        }
        var dockerNetwork = update.TryGetProperty("container", out var c) && c.ValueKind == JsonValueKind.Object
            && c.TryGetProperty("docker", out var d) && d.ValueKind == JsonValueKind.Object
            && d.TryGetProperty("network", out var n) && n.ValueKind != JsonValueKind.Null;
        if (given.Contains("ipAddress") || dockerNetwork)
        {
            merged.Remove("networks");
        }
        if (given.Contains("networks") || given.Contains("ipAddress") || dockerNetwork)
        {
            // A networking change: the old mode's ports do not carry over unless the update gives them again.
            if (!given.Contains("portDefinitions") && !given.Contains("ports"))
            {
                merged.Remove("portDefinitions");
            }
            if (!given.Contains("container") && merged["container"] is JsonObject container)
            {
                container.Remove("portMappings");
            }
        }
        foreach (var prop in update.EnumerateObject())
        {
            if (prop.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            merged[prop.Name] = JsonNode.Parse(prop.Value.GetRawText());
        }
        return merged;
    }
}
