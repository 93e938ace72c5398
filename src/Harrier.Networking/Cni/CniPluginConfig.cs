using System.Text.Json.Nodes;

namespace Harrier.Networking.Cni;

/// <summary>
/// One plugin of a CNI network's chain: its <c>type</c> (a plain file name), the executable it resolved to in the
/// plugin directories, the capabilities it declares (<c>portMappings</c> …), and its configuration object as written.
/// </summary>
public sealed record CniPluginConfig(string Type, string Path, IReadOnlySet<string> Capabilities, string Json)
{
    /// <summary>A fresh, mutable copy of the configuration object (each invocation adds its own keys to it).</summary>
    public JsonObject Object() => (JsonObject)JsonNode.Parse(Json)!;
}
