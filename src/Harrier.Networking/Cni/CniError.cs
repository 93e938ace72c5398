using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harrier.Networking.Cni;

/// <summary>A plugin's error result (<c>{"cniVersion","code","msg","details"}</c>), read from what a failed plugin printed.</summary>
public sealed record CniError(int Code, string Message, string? Details)
{
    /// <summary>The error in <paramref name="stdout"/>, or null when it is not one (the caller then reports stderr).</summary>
    public static CniError? TryParse(string stdout)
    {
        try
        {
            if (JsonNode.Parse(stdout) is JsonObject o && o["code"] is JsonValue c && c.TryGetValue<int>(out var code))
            {
                return new CniError(code, Text(o, "msg") ?? "", Text(o, "details"));
            }
        }
        catch (JsonException)
        {
            // Not JSON: not an error result.
        }
        return null;
    }

    public override string ToString() =>
        $"code {Code}: {Bounded(Message)}" + (string.IsNullOrEmpty(Details) ? "" : $" ({Bounded(Details)})");

    private static string Text(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static string Bounded(string s)
    {
        var oneLine = s.ReplaceLineEndings(" ").Trim();
        return oneLine.Length > 400 ? oneLine[..400] + "…" : oneLine;
    }
}
