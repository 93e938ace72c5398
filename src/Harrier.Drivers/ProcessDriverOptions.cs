namespace Harrier.Drivers;

public sealed class ProcessDriverOptions
{
    /// <summary>Parent cgroup of task cgroups (tests use their own so parallel runs do not collide).</summary>
    public string CgroupParent { get; set; } = "harrier";

    /// <summary>Put tasks into cgroups when running as root and a usable hierarchy exists.</summary>
    public bool UseCgroups { get; set; } = true;

    /// <summary>How often running tasks are checked for exit.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);
}
