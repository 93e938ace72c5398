using Harrier.Core.Apps;
using Harrier.Core.Instances;
using Harrier.Server.Cluster;

namespace Harrier.Server.Discovery;

/// <summary>
/// dcos-net's backend rule for one task port: a port with a host port is reached at the agent's address and that host
/// port; one without (overlay, CNI) at each of the task's addresses and the container port. Only running tasks count;
/// weight 0 (no new connections, established ones finish) while the task is unhealthy or being killed.
/// </summary>
internal static class VipBackends
{
    public static IEnumerable<VipBackend> Of(AppSpec app, Instance instance, AgentStatus? agent, AppVipPort port)
    {
        if (instance.Condition != Condition.Running || instance.TaskId is not { } task || agent is null)
        {
            yield break;
        }
        var weight = instance.Goal == Goal.Running && instance.Healthy != false ? 1 : 0;
        var address = AgentAddress.Of(agent.Info);
        if (app.IsHostNetworking)
        {
            if (address is not null && port.PortIndex < instance.HostPorts.Count)
            {
                yield return new VipBackend(address, instance.HostPorts[port.PortIndex], weight, app.Id, task, agent.Info.Id);
            }
            yield break;
        }
        var mappings = app.Container?.PortMappings ?? Harrier.Core.Collections.ValueList<PortMapping>.Empty;
        if (port.PortIndex >= mappings.Count)
        {
            yield break;
        }
        var mapping = mappings[port.PortIndex];
        if (mapping.HostPort is not null)
        {
            // Host ports are allocated for the mappings that ask for one, in mapping order.
            var k = 0;
            for (var i = 0; i < port.PortIndex; i++)
            {
                k += mappings[i].HostPort is null ? 0 : 1;
            }
            if (address is not null && k < instance.HostPorts.Count)
            {
                yield return new VipBackend(address, instance.HostPorts[k], weight, app.Id, task, agent.Info.Id);
            }
            yield break;
        }
        foreach (var ip in instance.IpAddresses)
        {
            if (mapping.ContainerPort > 0)
            {
                yield return new VipBackend(ip, mapping.ContainerPort, weight, app.Id, task, null);
            }
        }
    }
}
