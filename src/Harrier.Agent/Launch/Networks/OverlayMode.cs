using Harrier.Core.Apps;
using Harrier.Networking;

namespace Harrier.Agent.Launch.Networks;

/// <summary>
/// <c>container</c> networking on an overlay (<c>networks: [{mode: container, name: dcos}]</c>): a routed veth (no
/// bridge, see <see cref="RoutedNetwork"/>) with an address from this agent's slice, the whole overlay routed through
/// the slice's gateway (by the default route when it is the task's first network), and host ports, where mappings ask
/// for them, mapped like the bridge's.
/// </summary>
internal sealed class OverlayMode(AgentNetworks networks, AgentOverlays overlays) : INetworkMode
{
    public string Name => "overlay";

    public bool Serves(NetworkSpec network) => network.Mode == NetworkMode.Container && overlays.Find(network.Name) is not null;

    public async Task<NetworkAttachment> AttachAsync(NetworkAttachRequest request, CancellationToken cancellationToken)
    {
        var overlay = overlays.Find(request.Network.Name) ?? throw new NetworkSetupException($"this agent is not on the overlay '{request.Network.Name}'");
        await overlays.EnsureAsync(overlay, cancellationToken);
        var address = await overlay.Slice.AttachAsync(
            request.Owner, request.Namespace, request.Interface, LinkNames.HostVeth(request.Owner, request.Index),
            defaultRoute: request.Index == 0, request.Index == 0 ? [] : [overlay.Cidr], cancellationToken);
        await networks.AddMappingsAsync(PortMapEntries.For(request.PortMappings, address));
        return new NetworkAttachment([address.ToString()], networks.TaskDns is null || request.Index != 0 ? null : overlay.Slice.Subnet.Gateway.ToString());
    }

    public Task<NetworkAttachment?> RecoverAsync(NetworkAttachRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(overlays.Find(request.Network.Name)?.Slice.Addresses.Find(request.Owner) is { } address
            ? new NetworkAttachment([address.ToString()])
            : null);

    public async Task DetachAsync(NetworkAttachRequest request)
    {
        if (overlays.Find(request.Network.Name) is not { } overlay)
        {
            return;
        }
        if (overlay.Slice.Addresses.Find(request.Owner) is { } address)
        {
            await networks.RemoveMappingsAsync(PortMapEntries.For(request.PortMappings, address));
        }
        await overlay.Slice.DetachAsync(request.Owner, LinkNames.HostVeth(request.Owner, request.Index));
    }

    public Task ReconcileAsync(IReadOnlySet<string> liveOwners, CancellationToken cancellationToken)
    {
        foreach (var overlay in overlays.All)
        {
            foreach (var (_, owner) in overlay.Slice.Addresses.Allocations().Where(a => !liveOwners.Contains(a.Owner)))
            {
                overlay.Slice.Addresses.Release(owner);
            }
        }
        return Task.CompletedTask;
    }
}
