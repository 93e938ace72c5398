namespace Harrier.Core.Resources;

/// <summary>Names of what an agent advertises it can run (<see cref="AgentInfo.Capabilities"/>).</summary>
public static class AgentCapabilities
{
    /// <summary>Apps with a container image: the agent has an OCI runtime and an image store (or runs nothing at all,
    /// as the fake driver of simulated agents).</summary>
    public const string ContainerImages = "container-images";
}
