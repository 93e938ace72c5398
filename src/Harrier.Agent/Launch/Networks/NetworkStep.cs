using Harrier.Core.Apps;
using Harrier.Core.Instances;
using Harrier.Linux;
using Harrier.Networking;

namespace Harrier.Agent.Launch.Networks;

/// <summary>
/// The network slot of a launch. Host networking needs nothing (the task shares the agent's network) unless the
/// agent runs the port-mapping isolator, which serves host mode too. Every other mode gets a network namespace of
/// its own, named after the agent and the task (<see cref="LinkNames.Namespace"/>), that each of the task's networks attaches in
/// turn through its <see cref="INetworkMode"/>; the addresses they hand out become the task's <c>ipAddresses</c>.
/// Release detaches in reverse and deletes the namespace; what a crash leaves behind is reclaimed by
/// <see cref="NetworkReconciler"/> when the agent starts.
/// </summary>
internal sealed class NetworkStep(string scope, IReadOnlyList<INetworkMode> modes) : ILaunchStep
{
    /// <summary>Whose namespaces these are (the agent's id): see <see cref="LinkNames.NamespacePrefix"/>.</summary>
    public string Scope { get; } = scope;

    public string Name => "network";

    public LaunchPhase Phase => LaunchPhase.Starting;

    public IReadOnlyList<INetworkMode> Modes { get; } = modes;

    public async Task PrepareAsync(LaunchContext context, CancellationToken cancellationToken)
    {
        var plan = Plan(context);
        if (plan.Count == 0)
        {
            return;
        }
        if (!UnixUser.IsRoot)
        {
            throw Failed($"{plan[0].Mode.Name} networking needs an agent running as root");
        }
        var ns = LinkNames.Namespace(Scope, context.Launch.TaskId.Value);
        try
        {
            await NetworkNamespaces.CreateAsync(ns, cancellationToken);
            foreach (var (mode, request) in Requests(context, plan, ns))
            {
                var attachment = await mode.AttachAsync(request, cancellationToken);
                context.IpAddresses.AddRange(attachment.IpAddresses);
                if (attachment.Gateway is { } gateway && context.Nameservers.Count == 0)
                {
                    context.Nameservers.Add(gateway);
                }
            }
        }
        catch (NetworkSetupException e)
        {
            throw Failed($"could not set up its network: {e.Message}");
        }
        context.NetworkNamespace = NetworkNamespaces.PathOf(ns);
    }

    public async Task RecoverAsync(LaunchContext context, CancellationToken cancellationToken)
    {
        var plan = Plan(context, recovering: true);
        var ns = LinkNames.Namespace(Scope, context.Launch.TaskId.Value);
        if (plan.Count == 0 || !NetworkNamespaces.Exists(ns))
        {
            return;
        }
        foreach (var (mode, request) in Requests(context, plan, ns))
        {
            if (await mode.RecoverAsync(request, cancellationToken) is { } attachment)
            {
                context.IpAddresses.AddRange(attachment.IpAddresses);
            }
        }
        context.NetworkNamespace = NetworkNamespaces.PathOf(ns);
    }

    public async Task ReleaseAsync(LaunchContext context)
    {
        var plan = Plan(context, recovering: true);
        if (plan.Count == 0)
        {
            return;
        }
        var ns = LinkNames.Namespace(Scope, context.Launch.TaskId.Value);
        foreach (var (mode, request) in Requests(context, plan, ns).Reverse())
        {
            try
            {
                await mode.DetachAsync(request);
            }
            catch (NetworkSetupException)
            {
                // Left for the start-up reconciliation; the namespace still goes.
            }
        }
        try
        {
            await NetworkNamespaces.DeleteAsync(ns);
        }
        catch (NetworkSetupException e)
        {
            throw new InvalidOperationException(e.Message, e);
        }
    }

    /// <summary>The task's networks with the mode serving each; empty when the task simply shares the host's network.</summary>
    private List<(INetworkMode Mode, NetworkSpec Network)> Plan(LaunchContext context, bool recovering = false)
    {
        var networks = context.Launch.Container?.Networks ?? default;
        if (networks.IsEmpty)
        {
            networks = new([NetworkSpec.Host]);
        }
        var plan = new List<(INetworkMode, NetworkSpec)>(networks.Count);
        foreach (var network in networks)
        {
            var mode = Modes.FirstOrDefault(m => m.Serves(network));
            if (mode is null)
            {
                if (network.Mode == NetworkMode.Host)
                {
                    return [];
                }
                if (recovering)
                {
                    continue;
                }
                var what = network.Mode == NetworkMode.ContainerBridge ? "container/bridge networking" : $"network '{network.Name}'";
                throw Failed($"{what} is not available on this agent");
            }
            plan.Add((mode, network));
        }
        return plan;
    }

    private static IEnumerable<(INetworkMode Mode, NetworkAttachRequest Request)> Requests(
        LaunchContext context, List<(INetworkMode Mode, NetworkSpec Network)> plan, string ns)
    {
        var containerNetworks = plan.Count(p => p.Network.Mode == NetworkMode.Container);
        return plan.Select((p, i) => (p.Mode, new NetworkAttachRequest(
            context.Launch.TaskId.Value, ns, i, p.Network, MappingsFor(context, p.Network, containerNetworks), context.StateDirectory)
        {
            HostPorts = context.Launch.HostPorts,
        }));
    }

    /// <summary>
    /// The mappings a network carries (Marathon's rules): on the bridge, every mapping; on a named network, those with a
    /// host port that name it in <c>networkNames</c>, or name none when the task is on that one network only. A container
    /// port of 0 with a host port becomes the host port.
    /// </summary>
    internal static List<PortMapping> MappingsFor(LaunchContext context, NetworkSpec network, int containerNetworks)
    {
        var mappings = context.Launch.Container?.PortMappings ?? default;
        var result = new List<PortMapping>(mappings.Count);
        foreach (var m in mappings)
        {
            var applies = network.Mode switch
            {
                NetworkMode.ContainerBridge => true,
                NetworkMode.Container => m.NetworkNames.IsEmpty ? containerNetworks == 1 : m.NetworkNames.Contains(network.Name ?? ""),
                _ => false,
            };
            if (!applies)
            {
                continue;
            }
            result.Add(m.ContainerPort == 0 && m.HostPort is > 0 and var host ? m with { ContainerPort = host } : m);
        }
        return result;
    }

    private static LaunchStepException Failed(string message) =>
        new(TaskState.Failed, TaskReasons.LaunchFailed, "Failed to launch container: " + message);
}
