using System.Text.Json;
using System.Text.Json.Nodes;
using Harrier.Linux;

namespace Harrier.Drivers.Oci;

/// <summary>
/// One container's OCI bundle, <c>BUNDLES/ID</c>: <c>config.json</c>, the overlayfs root filesystem
/// (<c>rootfs</c>, with <c>upper</c> and <c>work</c> beside it), the init pid file and the files bind-mounted over
/// the container's <c>/etc</c>. Everything is derived from the container id, so a recovered task finds it again.
/// </summary>
internal sealed class OciBundle
{
    /// <summary>overlayfs parses its options from one page; leave room for the upper/work part.</summary>
    private const int MaxMountData = 4000;

    public OciBundle(string bundlesDirectory, string containerId)
    {
        Directory = Path.Combine(bundlesDirectory, containerId);
    }

    public string Directory { get; }

    public string Rootfs => Path.Combine(Directory, "rootfs");

    public string PidFile => Path.Combine(Directory, "init.pid");

    public string ConfigFile => Path.Combine(Directory, "config.json");

    /// <summary>Container path → host file, mounted over the image's (Docker does the same for these three).</summary>
    public IReadOnlyDictionary<string, string> EtcFiles => new Dictionary<string, string>
    {
        ["/etc/hostname"] = Path.Combine(Directory, "etc", "hostname"),
        ["/etc/hosts"] = Path.Combine(Directory, "etc", "hosts"),
        ["/etc/resolv.conf"] = Path.Combine(Directory, "etc", "resolv.conf"),
    };

    private string Upper => Path.Combine(Directory, "upper");

    private string Work => Path.Combine(Directory, "work");

    /// <summary>Creates the directories and mounts the root filesystem: the image's layers under a fresh upper layer.</summary>
    public void MountRootfs(IReadOnlyList<string> layersBottomFirst)
    {
        System.IO.Directory.CreateDirectory(Rootfs);
        System.IO.Directory.CreateDirectory(Upper);
        System.IO.Directory.CreateDirectory(Work);
        var lowers = layersBottomFirst.Reverse().ToList();
        if (lowers.Count == 0)
        {
            var empty = Path.Combine(Directory, "empty");
            System.IO.Directory.CreateDirectory(empty);
            lowers.Add(empty);
        }
        var tail = $",upperdir={Upper},workdir={Work}";
        var data = "lowerdir=" + string.Join(':', lowers) + tail;
        if (data.Length <= MaxMountData && !lowers.Any(l => l.AsSpan().IndexOfAny(":,\\") >= 0))
        {
            Mounts.Mount("overlay", Rootfs, "overlay", data);
            return;
        }
        // Too long for one page (many layers with long paths) or needs escaping: name each layer by a short alias,
        // /proc/self/fd/N of an O_PATH descriptor, which the kernel resolves while mounting.
        var fds = new List<int>(lowers.Count);
        try
        {
            foreach (var lower in lowers)
            {
                fds.Add(Mounts.OpenPath(lower));
            }
            Mounts.Mount("overlay", Rootfs, "overlay", "lowerdir=" + string.Join(':', fds.Select(fd => $"/proc/self/fd/{fd}")) + tail);
        }
        finally
        {
            fds.ForEach(Mounts.Close);
        }
    }

    public void WriteConfig(JsonObject config) =>
        File.WriteAllText(ConfigFile, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>
    /// The container's /etc/hostname, /etc/hosts and /etc/resolv.conf. On the host's network it gets the host's
    /// hosts and resolver files (as Docker's host mode); in its own network namespace, localhost and its name.
    /// </summary>
    public void WriteEtcFiles(string hostname, bool hostNetwork, IReadOnlyList<string>? nameservers = null)
    {
        var files = EtcFiles;
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "etc"));
        File.WriteAllText(files["/etc/hostname"], hostname + "\n");
        var hosts = hostNetwork && File.Exists("/etc/hosts")
            ? File.ReadAllText("/etc/hosts")
            : $"127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t{hostname}\n";
        File.WriteAllText(files["/etc/hosts"], hosts);
        // A task in its own namespace asks Harrier's DNS through its gateway when the agent has one (--task-dns).
        File.WriteAllText(files["/etc/resolv.conf"], nameservers is { Count: > 0 }
            ? string.Concat(nameservers.Select(n => "nameserver " + n + "\n"))
            : File.Exists("/etc/resolv.conf") ? File.ReadAllText("/etc/resolv.conf") : "");
    }

    /// <summary>The container's init pid once the runtime wrote it (the container was created), else null.</summary>
    public int? ReadInitPid()
    {
        try
        {
            return int.TryParse(File.ReadAllText(PidFile).Trim(), out var pid) && pid > 1 ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Unmounts everything under the bundle (the rootfs) and deletes it. Idempotent.</summary>
    public void Remove()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return;
        }
        foreach (var mountPoint in Mounts.Under(Directory))
        {
            Mounts.Unmount(mountPoint);
        }
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
