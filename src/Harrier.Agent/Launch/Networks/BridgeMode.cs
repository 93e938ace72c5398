using Harrier.Core.Apps;
using Harrier.Networking;

namespace Harrier.Agent.Launch.Networks;

/// <summary>
/// <c>container/bridge</c>: a veth from the task's namespace into the agent's bridge, an address from the bridge's
/// subnet, the bridge as default gateway, and each port mapping's host port mapped to the task's address and
/// container port in Harrier's nftables table.
/// </summary>
internal sealed class BridgeMode(AgentNetworks networks) : INetworkMode
{
    public string Name => "container/bridge";

    public bool Serves(NetworkSpec network) => network.Mode == NetworkMode.ContainerBridge && networks.Bridge is not null;

    public async Task<NetworkAttachment> AttachAsync(NetworkAttachRequest request, CancellationToken cancellationToken)
    {
        var bridge = await networks.EnsureBridgeAsync(cancellationToken);
        var address = await bridge.AttachAsync(
            request.Owner, request.Namespace, request.Interface, LinkNames.HostVeth(request.Owner, request.Index),
            defaultRoute: request.Index == 0, [], cancellationToken);
        await networks.AddMappingsAsync(PortMapEntries.For(request.PortMappings, address));
        return new NetworkAttachment([address.ToString()], networks.TaskDns is null || request.Index != 0 ? null : bridge.Subnet.Gateway.ToString());
    }

    public Task<NetworkAttachment?> RecoverAsync(NetworkAttachRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(networks.Bridge?.Addresses.Find(request.Owner) is { } address ? new NetworkAttachment([address.ToString()]) : null);

    public async Task DetachAsync(NetworkAttachRequest request)
    {
        if (networks.Bridge is not { } bridge)
        {
            return;
        }
        if (bridge.Addresses.Find(request.Owner) is { } address)
        {
            await networks.RemoveMappingsAsync(PortMapEntries.For(request.PortMappings, address));
        }
        await bridge.DetachAsync(request.Owner, LinkNames.HostVeth(request.Owner, request.Index));
    }

    public Task ReconcileAsync(IReadOnlySet<string> liveOwners, CancellationToken cancellationToken)
    {
        if (networks.Bridge is { } bridge)
        {
            foreach (var (_, owner) in bridge.Addresses.Allocations().Where(a => !liveOwners.Contains(a.Owner)))
            {
                bridge.Addresses.Release(owner);
            }
        }
        return Task.CompletedTask;
    }
}
