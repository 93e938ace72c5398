using Harrier.Core.Apps;
using Harrier.Networking;
using Harrier.Networking.Cni;
using Microsoft.Extensions.Logging;

namespace Harrier.Agent.Launch.Networks;

/// <summary>
/// A named network from CNI configuration (<c>networks: [{mode: container, name: NET}]</c>): the network's plugin
/// chain is ADDed for the task's namespace with the task's host-port mappings as <c>portMappings</c>, and the result's
/// addresses become the task's. The intent is cached before the ADD and the result after it (libcni's cache), so a
/// DEL — on detach, after a failed ADD, or at agent start for a task that is gone — always runs with the configuration
/// and result of its ADD, even when a crash interrupted the ADD or the configuration file changed since.
/// </summary>
internal sealed class CniMode(CniConfigSet networks, CniRuntime runtime, CniAttachmentCache cache, ILogger logger) : INetworkMode
{
    public string Name => "CNI";

    public bool Serves(NetworkSpec network) => network.Mode == NetworkMode.Container && networks.Find(network.Name) is not null;

    public async Task<NetworkAttachment> AttachAsync(NetworkAttachRequest request, CancellationToken cancellationToken)
    {
        var network = networks.Find(request.Network.Name) ?? throw new NetworkSetupException($"no CNI network '{request.Network.Name}'");
        var record = Intent(request, network);
        cache.Save(record);
        CniResult result;
        try
        {
            result = await runtime.AddAsync(network, record.Args, cancellationToken);
        }
        catch (NetworkSetupException)
        {
            // Undo what the plugins before the failing one made (the spec's answer to a failed ADD is a DEL).
            await TryDeleteAsync(record, network, CancellationToken.None);
            throw;
        }
        cache.Save(record with { Result = result.Json });
        return new NetworkAttachment(result.ContainerAddresses);
    }

    public Task<NetworkAttachment?> RecoverAsync(NetworkAttachRequest request, CancellationToken cancellationToken)
    {
        if (cache.Find(request.Owner, request.Interface) is not { Result: { } json })
        {
            return Task.FromResult<NetworkAttachment?>(null);
        }
        try
        {
            return Task.FromResult<NetworkAttachment?>(new NetworkAttachment(CniResultParser.Parse(json).ContainerAddresses));
        }
        catch (FormatException)
        {
            return Task.FromResult<NetworkAttachment?>(null);
        }
    }

    public async Task DetachAsync(NetworkAttachRequest request)
    {
        if (cache.Find(request.Owner, request.Interface) is { } record)
        {
            await DeleteAsync(record, CancellationToken.None);
        }
    }

    public async Task ReconcileAsync(IReadOnlySet<string> liveOwners, CancellationToken cancellationToken)
    {
        foreach (var record in cache.All().Where(r => !liveOwners.Contains(r.Owner)))
        {
            try
            {
                await DeleteAsync(record, cancellationToken);
                CniLog.Reclaimed(logger, record.Owner, record.Network);
            }
            catch (NetworkSetupException e)
            {
                CniLog.DeleteFailed(logger, record.Owner, record.Network, e.Message);
            }
        }
    }

    /// <summary>The container id plugins record allocations under: derived from the task, within the spec's alphabet.</summary>
    internal static string ContainerId(string owner) => "harrier-" + LinkNames.Hash(owner, 32);

    private static CniAttachmentRecord Intent(NetworkAttachRequest request, CniNetworkConfig network)
    {
        List<CniPortMapping> mappings = [.. PortMapEntries.Each(request.PortMappings).Select(p => new CniPortMapping(p.HostPort, p.ContainerPort, p.Protocol))];
        return new CniAttachmentRecord(
            request.Owner, network.Name, ContainerId(request.Owner), request.Interface, request.NamespacePath, mappings, network.Json, Result: null);
    }

    /// <summary>DEL with the configuration the ADD ran with; the record goes only once the DEL succeeded.</summary>
    private async Task DeleteAsync(CniAttachmentRecord record, CancellationToken cancellationToken)
    {
        CniNetworkConfig network;
        try
        {
            network = CniConfigParser.Parse(record.Config, "cached attachment of " + record.Owner, isList: true, runtime.Invoker.PluginDirs);
        }
        catch (FormatException e)
        {
            throw new NetworkSetupException($"CNI network '{record.Network}': the cached configuration cannot be used: {e.Message}", e);
        }
        await runtime.DelAsync(network, record.Args, record.Result, cancellationToken);
        cache.Remove(record);
    }

    private async Task TryDeleteAsync(CniAttachmentRecord record, CniNetworkConfig network, CancellationToken cancellationToken)
    {
        try
        {
            await runtime.DelAsync(network, record.Args, null, cancellationToken);
            cache.Remove(record);
        }
        catch (NetworkSetupException e)
        {
            CniLog.DeleteFailed(logger, record.Owner, record.Network, e.Message);
        }
    }
}
