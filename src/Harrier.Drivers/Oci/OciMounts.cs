using System.Globalization;
using System.Text.Json.Nodes;

namespace Harrier.Drivers.Oci;

/// <summary>
/// A container's mounts: the standard kernel file systems (as Docker sets them up), the sandbox at
/// <c>/mnt/mesos/sandbox</c>, the host files over <c>/etc</c>, the task's bind mounts and <c>tmpfs</c> parameters.
/// </summary>
internal static class OciMounts
{
    private const long DefaultShmBytes = 64L << 20;

    public static JsonArray Build(DriverTaskSpec spec, ContainerTaskSpec container, OciParameterSet parameters, IReadOnlyDictionary<string, string> etcFiles)
    {
        var sysMode = container.Privileged ? "rw" : "ro";
        var shm = (parameters.ShmSizeBytes ?? DefaultShmBytes).ToString(CultureInfo.InvariantCulture);
        var mounts = new JsonArray(
            Mount("/proc", "proc", "proc", "nosuid", "noexec", "nodev"),
            Mount("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"),
            Mount("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"),
            Mount("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=" + shm),
            Mount("/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev"),
            Mount("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", sysMode),
            Mount("/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", sysMode),
            Mount(OciSpecGenerator.SandboxPath, "bind", spec.SandboxDirectory, "rbind", "rw"));
        foreach (var (containerPath, hostPath) in etcFiles.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            mounts.Add(Mount(containerPath, "bind", hostPath, "rbind", "rw"));
        }
        foreach (var m in container.Mounts)
        {
            mounts.Add(Mount(m.ContainerPath, "bind", m.HostPath, "rbind", m.ReadOnly ? "ro" : "rw"));
        }
        foreach (var (path, options) in parameters.Tmpfs)
        {
            // Docker's --tmpfs defaults; options given later on the line win (mount option order).
            mounts.Add(Mount(path, "tmpfs", "tmpfs", ["nosuid", "nodev", "noexec", .. options]));
        }
        return mounts;
    }

    private static JsonObject Mount(string destination, string type, string source, params string[] options) => new()
    {
        ["destination"] = destination,
        ["type"] = type,
        ["source"] = source,
        ["options"] = new JsonArray([.. options.Select(o => JsonValue.Create(o))]),
    };
}
