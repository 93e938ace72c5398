using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Protocol;

namespace Harrier.Server.Orchestration;

/// <summary>
/// The container part of a launch, from the app's <c>container</c> and <c>networks</c> (Marathon's
/// <c>TaskBuilder.computeContainerInfo</c>): the image and its options, Marathon's <c>label=MESOS_TASK_ID=…</c>
/// parameter appended for DOCKER, volumes in the agent's terms, and the port mappings with the host ports the
/// placement chose, in mapping order.
/// </summary>
internal static class TaskContainerBuilder
{
    public static TaskContainer? For(AppSpec app, Instance instance, TaskId taskId)
    {
        if (app.Container is not { } c)
        {
            return null;
        }
        var parameters = c.Docker?.Parameters ?? ValueList<DockerParameter>.Empty;
        if (c.Type == ContainerType.Docker && c.Docker is not null)
        {
            parameters = new ValueList<DockerParameter>([.. parameters, new DockerParameter("label", "MESOS_TASK_ID=" + taskId.Value)]);
        }
        return new TaskContainer
        {
            Type = c.Type,
            Image = c.Docker?.Image,
            ForcePullImage = c.Docker?.ForcePullImage ?? false,
            Privileged = c.Docker?.Privileged ?? false,
            Parameters = parameters,
            Volumes = new ValueList<TaskVolume>([.. c.Volumes.Select(v => Volume(v, instance)).OfType<TaskVolume>()]),
            Networks = app.Networks,
            PortMappings = app.IsHostNetworking ? ValueList<PortMapping>.Empty : WithHostPorts(c.PortMappings, instance.HostPorts),
        };
    }

    /// <summary>The id under which an agent keeps a persistent volume's data: stable across the instance's
    /// relaunches (Marathon's <c>LocalVolumeId</c>: app, container path and the instance it is reserved for).</summary>
    public static string PersistentVolumeId(Instance instance, string containerPath) => LocalVolumeId.For(instance, containerPath);

    private static TaskVolume? Volume(VolumeSpec v, Instance instance)
    {
        var readOnly = v.Mode == "RO";
        if (v.HostPath is { } host)
        {
            return new TaskVolume(v.ContainerPath, readOnly, HostPath: host);
        }
        if (v.Persistent is { } p)
        {
            return new TaskVolume(v.ContainerPath, readOnly, PersistentId: PersistentVolumeId(instance, v.ContainerPath), SizeMiB: p.Size);
        }
        // External and secret volumes stay behind their feature flags: validated and echoed, not mounted.
        return null;
    }

    /// <summary>Host ports are allocated for mappings that ask for one (a hostPort, 0 = any), in mapping order.</summary>
    private static ValueList<PortMapping> WithHostPorts(ValueList<PortMapping> mappings, ValueList<int> hostPorts)
    {
        var next = 0;
        var result = new List<PortMapping>(mappings.Count);
        foreach (var m in mappings)
        {
            if (m.HostPort is not null && next < hostPorts.Count)
            {
                result.Add(m with { HostPort = hostPorts[next++] });
            }
            else
            {
                result.Add(m);
            }
        }
        return new ValueList<PortMapping>(result);
    }
}
