using Harrier.Core.Apps;
using Harrier.Core.Resources;

namespace Harrier.Scheduling;

/// <summary>
/// The agent-only checks of one app: role, draining, fault domain, resources and host ports (spec §6.2, §7, and
/// <c>acceptedResourceRoles</c> of §3.1: when absent, Marathon's default behaviour <c>any</c> accepts the app's role and
/// <c>*</c>), and the named networks the app joins: each must be offered by the agent unless the whole cluster has it
/// (an overlay, <c>isClusterNetwork</c>).
/// </summary>
internal sealed class AgentFit
{
    private readonly AgentPool _pool;
    private readonly HashSet<string> _roles;
    private readonly string? _localRegion;

    public AgentFit(AppSpec app, AgentPool pool, string? localRegion, Func<string, bool>? isClusterNetwork = null)
    {
        _pool = pool;
        _roles = app.AcceptedResourceRoles is { } accepted ? [.. accepted] : ["*", app.Role];
        var faultDomainConstrained = app.Constraints.Any(c => c.Field is "@region" or "@zone");
        _localRegion = faultDomainConstrained ? null : localRegion;
        Need = new ResourceVector(app.Cpus, app.Mem, app.Disk, app.Gpus);
        Ports = PortNeed.For(app);
        _needsImages = !string.IsNullOrEmpty(app.Container?.Docker?.Image);
        _agentNetworks = [.. app.Networks
            .Where(n => n.Mode == NetworkMode.Container && n.Name is not null && isClusterNetwork?.Invoke(n.Name) != true)
            .Select(n => n.Name!)
            .Distinct(StringComparer.Ordinal)];
    }

    private readonly bool _needsImages;

    /// <summary>The app's named networks that only some agents offer.</summary>
    private readonly string[] _agentNetworks;

    /// <summary>An app on a named network goes only to agents offering it (an overlay every agent has aside).</summary>
    public bool NetworksOk(int agent) =>
        _agentNetworks.Length == 0 || _agentNetworks.All(_pool.Agents[agent].Agent.Networks.Contains);

    /// <summary>An app with an image goes only to agents that can run containers.</summary>
    public bool RuntimeOk(int agent) => !_needsImages || _pool.Agents[agent].Agent.Capabilities.Contains(AgentCapabilities.ContainerImages);

    public ResourceVector Need { get; }

    public PortNeed Ports { get; }

    public bool RoleOk(int agent) => _roles.Contains(_pool.Agents[agent].Agent.Role);

    public bool RegionOk(int agent) =>
        _localRegion is null || _pool.Agents[agent].Agent.Region is not { } region || region == _localRegion;

    public bool StaticOk(int agent) => !_pool.Agents[agent].Draining && RoleOk(agent) && RegionOk(agent) && RuntimeOk(agent) && NetworksOk(agent);

    public bool ResourcesFit(int agent) => _pool.Free[agent].Covers(Need) && _pool.PortsFit(agent, Ports);

    /// <summary>Every reason the agent cannot take one more instance now (empty when it can).</summary>
    public IEnumerable<string> Reasons(int agent, ConstraintState constraints)
    {
        if (_pool.Agents[agent].Draining)
        {
            yield return RejectReason.AgentMaintenance;
        }
        if (!RoleOk(agent))
        {
            yield return RejectReason.UnfulfilledRole;
        }
        if (!RuntimeOk(agent))
        {
            yield return RejectReason.NoContainerRuntime;
        }
        if (!NetworksOk(agent))
        {
            yield return RejectReason.NetworkUnavailable;
        }
        if (!RegionOk(agent) || !constraints.StaticOk(agent) || !constraints.DynamicOk(agent))
        {
            yield return RejectReason.UnfulfilledConstraint;
        }
        var free = _pool.Free[agent];
        if (free.Cpus + 1e-9 < Need.Cpus)
        {
            yield return RejectReason.InsufficientCpus;
        }
        if (free.Mem + 1e-9 < Need.Mem)
        {
            yield return RejectReason.InsufficientMemory;
        }
        if (free.Disk + 1e-9 < Need.Disk)
        {
            yield return RejectReason.InsufficientDisk;
        }
        if (free.Gpus < Need.Gpus)
        {
            yield return RejectReason.InsufficientGpus;
        }
        if (!_pool.PortsFit(agent, Ports))
        {
            yield return RejectReason.InsufficientPorts;
        }
    }
}
