using Harrier.Networking;

namespace Harrier.Agent.Launch.Networks;

/// <summary>
/// At agent start, after the checkpointed tasks are recovered: whatever a task that is no longer running left on the
/// host — its namespace (and with it the task's end of every veth), its addresses, its port mappings, a CNI
/// attachment — is freed. Tasks still running keep everything. Only this agent's own namespaces (<see cref="LinkNames"/>)
/// and table are touched.
/// </summary>
internal static class NetworkReconciler
{
    public static async Task<int> ReconcileAsync(NetworkStep step, AgentNetworks networks, IReadOnlyCollection<string> liveOwners, CancellationToken cancellationToken)
    {
        var live = liveOwners.ToHashSet(StringComparer.Ordinal);
        foreach (var mode in step.Modes)
        {
            await mode.ReconcileAsync(live, cancellationToken);
        }
        var liveNamespaces = live.Select(owner => LinkNames.Namespace(step.Scope, owner)).ToHashSet(StringComparer.Ordinal);
        var removed = 0;
        foreach (var ns in NetworkNamespaces.List(LinkNames.NamespacePrefix(step.Scope)).Where(n => !liveNamespaces.Contains(n)))
        {
            await NetworkNamespaces.DeleteAsync(ns);
            removed++;
        }
        await networks.ReconcileNatAsync(() =>
        {
            var held = new HashSet<System.Net.IPAddress>(networks.HeldAddresses());
            if (networks.Bridge is { } bridge)
            {
                held.UnionWith(bridge.Addresses.Allocations().Select(a => a.Address));
            }
            return held;
        });
        return removed;
    }
}
