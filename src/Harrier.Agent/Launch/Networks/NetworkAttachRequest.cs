using Harrier.Core.Apps;

namespace Harrier.Agent.Launch.Networks;

/// <summary>One network of one task: where its namespace is, which interface to make, and the mappings that apply.</summary>
/// <param name="Owner">The key every resource of the attachment is recorded under (the task id).</param>
/// <param name="Namespace">The namespace's name (<c>ip netns</c>); its path is under <c>/run/netns</c>.</param>
/// <param name="Index">The network's position in the task's list: interface <c>eth{Index}</c>; 0 carries the default route.</param>
/// <param name="PortMappings">The task's port mappings that apply to this network, with their host ports, and the
/// container port already resolved (Marathon's rule: a container port of 0 is the host port).</param>
internal sealed record NetworkAttachRequest(
    string Owner,
    string Namespace,
    int Index,
    NetworkSpec Network,
    IReadOnlyList<PortMapping> PortMappings,
    string StateDirectory)
{
    /// <summary>The task's host ports (what a host-mode task listens on; the port-mapping isolator steers them to it).</summary>
    public IReadOnlyList<int> HostPorts { get; init; } = [];

    public string Interface => "eth" + Index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string NamespacePath => Harrier.Networking.NetworkNamespaces.PathOf(Namespace);
}
