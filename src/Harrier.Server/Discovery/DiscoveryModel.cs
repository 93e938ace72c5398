using System.Net;
using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Instances;
using Harrier.Dns.Records;
using Harrier.Server.Cluster;

namespace Harrier.Server.Discovery;

/// <summary>
/// Harrier's cluster in discovery's terms (<see cref="DiscoveryState"/>), as Marathon on Mesos would have shown it:
/// the task name and DiscoveryInfo name are the app id reversed and dot-joined, DiscoveryInfo has one port per port
/// definition or mapping (host port, or container port with <c>network-scope=container</c>), and a task's netinfo
/// addresses are those its agent reported.
/// </summary>
internal static class DiscoveryModel
{
    public const int AgentPort = 5051;

    public static DiscoveryAgent Agent(AgentStatus agent) => new(
        agent.Info.Id.Value,
        agent.Info.Hostname,
        AgentAddress.Of(agent.Info) is { } ip ? [IPAddress.Parse(ip)] : [],
        AgentPort);

    /// <summary>The task of a running instance, or null when it has none that should have names (not running, or
    /// unhealthy when only healthy tasks get names).</summary>
    public static DiscoveryTask? Task(AppSpec app, Instance instance, bool onlyHealthy)
    {
        if (instance.Condition != Condition.Running || instance.TaskId is not { } taskId || instance.AgentId is not { } agent)
        {
            return null;
        }
        if (onlyHealthy && !app.HealthChecks.IsEmpty && instance.Healthy != true)
        {
            return null;
        }
        var name = app.Id.ToHostname();
        var ports = new List<DiscoveryPort>();
        var mappings = new List<TaskPortMapping>();
        if (app.IsHostNetworking)
        {
            for (var i = 0; i < app.PortDefinitions.Count && i < instance.HostPorts.Count; i++)
            {
                var d = app.PortDefinitions[i];
                ports.Add(new DiscoveryPort(instance.HostPorts[i], d.Name, d.Protocol, Labels(d.Labels, null)));
            }
        }
        else
        {
            var next = 0;
            foreach (var m in app.Container?.PortMappings ?? ValueList<PortMapping>.Empty)
            {
                int? host = m.HostPort is not null && next < instance.HostPorts.Count ? instance.HostPorts[next++] : null;
                var containerPort = m.ContainerPort == 0 && host is { } h ? h : m.ContainerPort;
                ports.Add(host is { } hp
                    ? new DiscoveryPort(hp, m.Name, m.Protocol, Labels(m.Labels, "host"))
                    : new DiscoveryPort(containerPort, m.Name, m.Protocol, Labels(m.Labels, "container")));
                mappings.Add(new TaskPortMapping(containerPort, host, m.Protocol));
            }
        }
        return new DiscoveryTask(
            taskId.Value,
            name,
            agent.Value,
            DiscoveryTask.Running,
            [.. instance.IpAddresses.Select(a => IPAddress.TryParse(a, out var ip) ? ip : null).OfType<IPAddress>()],
            [.. instance.HostPorts],
            new DiscoveryInfo(name, ports),
            instance.Healthy)
        {
            PortMappings = mappings,
        };
    }

    private static KeyValuePair<string, string>[] Labels(ValueMap<string> labels, string? scope)
    {
        var result = labels.Count == 0 ? [] : labels.Select(l => l).ToList();
        if (scope is not null)
        {
            result.Add(new("network-scope", scope));
        }
        return [.. result];
    }
}
