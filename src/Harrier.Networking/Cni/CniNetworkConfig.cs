namespace Harrier.Networking.Cni;

/// <summary>
/// A named network from CNI configuration (a <c>.conflist</c>, or a single-plugin <c>.conf</c> made into a list of
/// one, as libcni does): its name, the spec version its plugins speak, the plugin chain in ADD order, the file it came
/// from, and the whole configuration as written (kept with each attachment, so a DEL runs with the configuration its
/// ADD ran with even after the file changed).
/// </summary>
public sealed record CniNetworkConfig(string Name, string CniVersion, IReadOnlyList<CniPluginConfig> Plugins, string Source, string Json)
{
    /// <summary>True when a plugin of the chain declares the <c>portMappings</c> capability.</summary>
    public bool MapsPorts => Plugins.Any(p => p.Capabilities.Contains(CniConfigParser.PortMappingsCapability));
}
