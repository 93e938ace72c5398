using System.Text.Json;
using Harrier.Core.Apps;

namespace Harrier.Api.Apps;

/// <summary>Reads <c>container</c> (<c>appContainer.raml</c>, <c>docker.raml</c>, <c>volumes.raml</c>, <c>linux.raml</c>).</summary>
internal static class ContainerRamlReader
{
    private static readonly string[] EngineTypes = ["MESOS", "DOCKER"];
    private static readonly string[] DockerNetworks = ["BRIDGE", "HOST", "NONE", "USER"];
    private static readonly string[] ReadModes = ["RO", "RW"];

    public static ContainerRaml? Read(JsonElement c, string p, RamlReader r)
    {
        if (!r.RequireObject(c, p))
        {
            return null;
        }
        return new ContainerRaml
        {
            Type = r.Enum(c, "type", p, EngineTypes) == "MESOS" ? ContainerType.Mesos : ContainerType.Docker,
            Docker = RamlReader.TryGet(c, "docker", out var d) ? ReadDocker(d, RamlReader.Child(p, "docker"), r) : null,
            PortMappings = ReadPortMappings(c, p, r),
            Volumes = ReadVolumes(c, p, r),
            LinuxInfo = ReadLinuxInfo(c, p, r),
        };
    }

    private static DockerRaml? ReadDocker(JsonElement d, string p, RamlReader r)
    {
        if (!r.RequireObject(d, p))
        {
            return null;
        }
        var parameters = new List<DockerParameter>();
        foreach (var (v, pp) in r.Array(d, "parameters", p) ?? [])
        {
            if (r.RequireObject(v, pp))
            {
                var key = r.String(v, "key", pp, required: true, minLength: 1);
                var value = r.String(v, "value", pp, required: true);
                if (key is not null && value is not null)
                {
                    parameters.Add(new DockerParameter(key, value));
                }
            }
        }
        string? pullSecret = null;
        if (RamlReader.TryGet(d, "pullConfig", out var pc) && r.RequireObject(pc, p + "/pullConfig"))
        {
            pullSecret = r.String(pc, "secret", p + "/pullConfig", required: true, minLength: 1);
        }
        var hasCredential = false;
        if (RamlReader.TryGet(d, "credential", out var cred) && r.RequireObject(cred, p + "/credential"))
        {
            r.String(cred, "principal", p + "/credential", required: true);
            hasCredential = true;
        }
        return new DockerRaml
        {
            Image = r.String(d, "image", p, required: true, minLength: 1) ?? "",
            ForcePullImage = r.Bool(d, "forcePullImage", p) ?? false,
            Privileged = r.Bool(d, "privileged", p) ?? false,
            Parameters = parameters,
            PullConfigSecret = pullSecret,
            HasCredential = hasCredential,
            Network = r.Enum(d, "network", p, DockerNetworks),
            PortMappings = ReadPortMappings(d, p, r),
        };
    }

    public static List<PortMapping>? ReadPortMappings(JsonElement o, string path, RamlReader r)
    {
        var items = r.Array(o, "portMappings", path);
        if (items is null)
        {
            return null;
        }
        var result = new List<PortMapping>();
        foreach (var (v, p) in items)
        {
            if (!r.RequireObject(v, p))
            {
                continue;
            }
            result.Add(new PortMapping(
                ContainerPort: r.Int(v, "containerPort", p, 0, 65535) ?? 0,
                HostPort: r.Int(v, "hostPort", p, 0, 65535),
                ServicePort: r.Int(v, "servicePort", p, 0, 65535) ?? 0,
                Protocol: NetworkRamlReader.ReadProtocol(v, p, r),
                Name: r.String(v, "name", p, minLength: 1, pattern: RamlPatterns.LegacyName()),
                Labels: new(r.StringMap(v, "labels", p) ?? []),
                NetworkNames: new(r.StringArray(v, "networkNames", p, 1, 63, RamlPatterns.Name()) ?? [])));
        }
        return result;
    }

    private static List<VolumeSpec> ReadVolumes(JsonElement c, string path, RamlReader r)
    {
        var result = new List<VolumeSpec>();
        foreach (var (v, p) in r.Array(c, "volumes", path) ?? [])
        {
            if (r.RequireObject(v, p) && ReadVolume(v, p, r) is { } volume)
            {
                result.Add(volume);
            }
        }
        return result;
    }

    /// <summary>
    /// The <c>AppVolume</c> union (persistent | external | secret | host). The shape is chosen by its distinguishing
    /// property so that errors point at the fields the user meant; a body matching none is read as a host volume,
    /// the union's last alternative, whose errors Marathon reports.
    /// </summary>
    private static VolumeSpec? ReadVolume(JsonElement v, string p, RamlReader r)
    {
        var containerPath = r.String(v, "containerPath", p, required: true, minLength: 1);
        if (RamlReader.Has(v, "persistent"))
        {
            var mode = r.Enum(v, "mode", p, ReadModes, required: true);
            var persistent = ReadPersistent(v, p + "/persistent", r);
            return containerPath is null || persistent is null ? null : new VolumeSpec { ContainerPath = containerPath, Mode = mode, Persistent = persistent };
        }
        if (RamlReader.TryGet(v, "external", out var ext))
        {
            var mode = r.Enum(v, "mode", p, ReadModes, required: true);
            if (!r.RequireObject(ext, p + "/external"))
            {
                return null;
            }
            r.String(ext, "name", p + "/external");
            r.String(ext, "provider", p + "/external");
            return containerPath is null ? null : new VolumeSpec { ContainerPath = containerPath, Mode = mode, External = ext.GetRawText() };
        }
        if (RamlReader.Has(v, "secret"))
        {
            var secret = r.String(v, "secret", p, required: true, minLength: 1);
            return containerPath is null || secret is null ? null : new VolumeSpec { ContainerPath = containerPath, Secret = secret };
        }
        var hostPath = r.String(v, "hostPath", p, required: true, minLength: 1);
        var hostMode = r.Enum(v, "mode", p, ReadModes, required: true);
        return containerPath is null || hostPath is null ? null : new VolumeSpec { ContainerPath = containerPath, Mode = hostMode, HostPath = hostPath };
    }

    private static PersistentVolumeSpec? ReadPersistent(JsonElement v, string p, RamlReader r)
    {
        if (!RamlReader.TryGet(v, "persistent", out var pv) || !r.RequireObject(pv, p))
        {
            return null;
        }
        var type = r.Enum(pv, "type", p, ["root", "path", "mount"]);
        var size = r.Long(pv, "size", p, min: 0, required: true);
        var maxSize = r.Long(pv, "maxSize", p, min: 0);
        var profile = r.String(pv, "profileName", p);
        var constraints = new List<ConstraintSpec>();
        foreach (var (cv, cp) in r.Array(pv, "constraints", p) ?? [])
        {
            var fields = new List<string>();
            foreach (var (f, fp) in r.ArrayValue(cv, cp) ?? [])
            {
                if (r.StringValue(f, fp) is { } s)
                {
                    fields.Add(s);
                }
            }
            constraints.Add(new ConstraintSpec(fields.ElementAtOrDefault(0) ?? "", fields.ElementAtOrDefault(1) ?? "", fields.ElementAtOrDefault(2)));
        }
        // Marathon's default type: root, or mount when a profile is named. Kept null-free in the model.
        return size is null ? null : new PersistentVolumeSpec(type ?? (profile is null ? "root" : "mount"), size.Value, maxSize, profile, new(constraints));
    }

    private static LinuxInfoSpec? ReadLinuxInfo(JsonElement c, string path, RamlReader r)
    {
        var p = path + "/linuxInfo";
        if (!RamlReader.TryGet(c, "linuxInfo", out var l) || !r.RequireObject(l, p))
        {
            return null;
        }
        string? profile = null;
        bool? unconfined = null;
        if (RamlReader.TryGet(l, "seccomp", out var s) && r.RequireObject(s, p + "/seccomp"))
        {
            profile = r.String(s, "profileName", p + "/seccomp");
            unconfined = r.Bool(s, "unconfined", p + "/seccomp") ?? false;
        }
        string? ipcMode = null;
        int? shm = null;
        if (RamlReader.TryGet(l, "ipcInfo", out var i) && r.RequireObject(i, p + "/ipcInfo"))
        {
            ipcMode = r.Enum(i, "mode", p + "/ipcInfo", ["PRIVATE", "SHARE_PARENT"], required: true);
            shm = r.Int(i, "shmSize", p + "/ipcInfo");
        }
        return new LinuxInfoSpec(profile, unconfined, ipcMode, shm);
    }
}
