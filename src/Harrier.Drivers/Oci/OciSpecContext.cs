namespace Harrier.Drivers.Oci;

/// <summary>
/// What the spec generator needs besides the task: decided by the driver (paths, cgroup) or read from the host and
/// the image beforehand, so that <see cref="OciSpecGenerator.Generate"/> stays a pure function.
/// </summary>
/// <param name="RootfsPath">The mounted root filesystem (absolute).</param>
/// <param name="CgroupsPath">The container's cgroup, <c>/PARENT/TASK/ctr</c>: a child of the task cgroup that holds the limits.</param>
/// <param name="HostHostname">The agent's hostname, the container's unless the app names one.</param>
/// <param name="Accounts">The container's <c>/etc/passwd</c> and <c>/etc/group</c>.</param>
/// <param name="DefaultPidsLimit">Max processes when the task gives none.</param>
/// <param name="EtcFiles">Host files bind-mounted over the container's (<c>/etc/hosts</c> → a file in the bundle), as Docker does.</param>
internal sealed record OciSpecContext(
    string RootfsPath,
    string CgroupsPath,
    string HostHostname,
    ContainerAccounts Accounts,
    long DefaultPidsLimit,
    IReadOnlyDictionary<string, string> EtcFiles);
