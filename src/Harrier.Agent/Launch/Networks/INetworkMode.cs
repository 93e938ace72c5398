using Harrier.Core.Apps;

namespace Harrier.Agent.Launch.Networks;

/// <summary>
/// One way a task's network namespace joins a network (Harrier's bridge, an overlay, a CNI network, the port-mapping
/// isolator's host-IP namespace). <see cref="NetworkStep"/> makes the namespace (one per instance: a pod's containers
/// would share it) and asks the mode of each of the task's networks to attach it, in order, with interfaces
/// <c>eth0</c>, <c>eth1</c> …. A new kind of network is a new mode, not an edit of the step.
/// </summary>
internal interface INetworkMode
{
    /// <summary>How the mode is named in messages and logs ("bridge", "overlay dcos", "cni macvlan-net" …).</summary>
    string Name { get; }

    /// <summary>True when this mode serves <paramref name="network"/> (the first mode that does, wins).</summary>
    bool Serves(NetworkSpec network);

    /// <summary>Attaches the namespace; returns the addresses the task has on this network. Idempotent for a retry.</summary>
    Task<NetworkAttachment> AttachAsync(NetworkAttachRequest request, CancellationToken cancellationToken);

    /// <summary>The addresses of an attachment a previous agent process made (after a restart), or null when none is left.</summary>
    Task<NetworkAttachment?> RecoverAsync(NetworkAttachRequest request, CancellationToken cancellationToken);

    /// <summary>Removes what <see cref="AttachAsync"/> made outside the namespace (host veth, addresses, port mappings).
    /// Idempotent; called before the namespace itself is deleted.</summary>
    Task DetachAsync(NetworkAttachRequest request);

    /// <summary>At agent start: frees whatever this mode holds for owners not in <paramref name="liveOwners"/> (tasks
    /// that died while the agent was down, launches cut short by a crash). Their namespaces are deleted afterwards.</summary>
    Task ReconcileAsync(IReadOnlySet<string> liveOwners, CancellationToken cancellationToken);
}
