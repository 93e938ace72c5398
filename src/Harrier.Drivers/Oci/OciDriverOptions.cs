namespace Harrier.Drivers.Oci;

public sealed class OciDriverOptions
{
    /// <summary>The OCI runtime: <c>crun</c> or <c>runc</c> (looked up on PATH), or an absolute path.</summary>
    public string Runtime { get; set; } = "crun";

    /// <summary>The runtime's state directory (<c>--root</c>), private to this agent: every container in it is ours.</summary>
    public string RuntimeRoot { get; set; } = "/var/lib/harrier/oci-runtime";

    /// <summary>Where containers' bundles (config.json, overlay root filesystem) live while they run.</summary>
    public string BundlesDir { get; set; } = "/var/lib/harrier/oci-bundles";

    /// <summary>Parent cgroup of task cgroups, shared with the process driver (tests use their own).</summary>
    public string CgroupParent { get; set; } = "harrier";

    /// <summary>How often running tasks are checked for exit.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Max processes in a container whose task sets no limit.</summary>
    public long DefaultPidsLimit { get; set; } = 4096;
}
