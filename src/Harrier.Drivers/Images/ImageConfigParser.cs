using System.Text.Json;

namespace Harrier.Drivers.Images;

/// <summary>Reads an image config blob: how containers run (<see cref="ImageConfig"/>) and the layers' diff_ids.</summary>
internal static class ImageConfigParser
{
    public static (ImageConfig Config, IReadOnlyList<string> DiffIds) Parse(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var diffIds = root.TryGetProperty("rootfs", out var rootfs) ? Strings(rootfs, "diff_ids") : [];
            if (!root.TryGetProperty("config", out var config) || config.ValueKind != JsonValueKind.Object)
            {
                return (new ImageConfig(), diffIds);
            }
            return (new ImageConfig
            {
                Entrypoint = Strings(config, "Entrypoint"),
                Cmd = Strings(config, "Cmd"),
                Env = Strings(config, "Env"),
                User = String(config, "User"),
                WorkingDir = String(config, "WorkingDir"),
                Labels = Object(config, "Labels").ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
                ExposedPorts = [.. Object(config, "ExposedPorts").Select(p => p.Name)],
            }, diffIds);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new ImageStoreException(ImagePullFailure.InvalidContent, $"the image config is malformed: {e.Message}", e);
        }
    }

    private static string[] Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? [.. array.EnumerateArray().Select(e => e.GetString() ?? "")]
            : [];

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IEnumerable<JsonProperty> Object(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value.EnumerateObject() : [];
}
