using System.Text.Json;
using Harrier.Core.Apps;

namespace Harrier.Api.Apps;

/// <summary>Writes <c>container</c>; <c>portMappings</c> only off host networking.</summary>
internal static class ContainerJsonWriter
{
    public static void Write(Utf8JsonWriter w, ContainerSpec c, bool hostNetworking)
    {
        w.WriteStartObject();
        w.WriteString("type", c.Type == ContainerType.Mesos ? "MESOS" : "DOCKER");
        if (c.Docker is { } d)
        {
            w.WriteStartObject("docker");
            w.WriteBoolean("forcePullImage", d.ForcePullImage);
            w.WriteString("image", d.Image);
            w.WriteStartArray("parameters");
            foreach (var p in d.Parameters)
            {
                w.WriteStartObject();
                w.WriteString("key", p.Key);
                w.WriteString("value", p.Value);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (d.PullConfigSecret is { } secret)
            {
                w.WriteStartObject("pullConfig");
                w.WriteString("secret", secret);
                w.WriteEndObject();
            }
            w.WriteBoolean("privileged", d.Privileged);
            w.WriteEndObject();
        }
        if (c.LinuxInfo is { } l)
        {
            WriteLinuxInfo(w, l);
        }
        w.WriteStartArray("volumes");
        foreach (var v in c.Volumes)
        {
            WriteVolume(w, v);
        }
        w.WriteEndArray();
        if (!hostNetworking)
        {
            w.WriteStartArray("portMappings");
            foreach (var m in c.PortMappings)
            {
                WritePortMapping(w, m);
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static void WritePortMapping(Utf8JsonWriter w, PortMapping m)
    {
        w.WriteStartObject();
        w.WriteNumber("containerPort", m.ContainerPort);
        if (m.HostPort is { } hostPort)
        {
            w.WriteNumber("hostPort", hostPort);
        }
        JsonParts.StringMap(w, "labels", m.Labels);
        if (m.Name is not null)
        {
            w.WriteString("name", m.Name);
        }
        w.WriteString("protocol", m.Protocol);
        w.WriteNumber("servicePort", m.ServicePort);
        if (!m.NetworkNames.IsEmpty)
        {
            JsonParts.StringArray(w, "networkNames", m.NetworkNames);
        }
        w.WriteEndObject();
    }

    private static void WriteVolume(Utf8JsonWriter w, VolumeSpec v)
    {
        w.WriteStartObject();
        w.WriteString("containerPath", v.ContainerPath);
        if (v.HostPath is not null)
        {
            w.WriteString("hostPath", v.HostPath);
        }
        if (v.Persistent is { } p)
        {
            w.WriteStartObject("persistent");
            w.WriteString("type", p.Type);
            w.WriteNumber("size", p.Size);
            if (p.MaxSize is { } max)
            {
                w.WriteNumber("maxSize", max);
            }
            if (p.ProfileName is not null)
            {
                w.WriteString("profileName", p.ProfileName);
            }
            AppJsonWriter.WriteConstraints(w, p.Constraints);
            w.WriteEndObject();
        }
        if (v.External is { } external)
        {
            w.WritePropertyName("external");
            w.WriteRawValue(external);
        }
        if (v.Secret is not null)
        {
            w.WriteString("secret", v.Secret);
        }
        if (v.Mode is not null)
        {
            w.WriteString("mode", v.Mode);
        }
        w.WriteEndObject();
    }

    private static void WriteLinuxInfo(Utf8JsonWriter w, LinuxInfoSpec l)
    {
        w.WriteStartObject("linuxInfo");
        if (l.SeccompUnconfined is not null || l.SeccompProfileName is not null)
        {
            w.WriteStartObject("seccomp");
            if (l.SeccompProfileName is not null)
            {
                w.WriteString("profileName", l.SeccompProfileName);
            }
            w.WriteBoolean("unconfined", l.SeccompUnconfined ?? false);
            w.WriteEndObject();
        }
        if (l.IpcMode is not null)
        {
            w.WriteStartObject("ipcInfo");
            w.WriteString("mode", l.IpcMode);
            if (l.IpcShmSize is { } shm)
            {
                w.WriteNumber("shmSize", shm);
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }
}
