namespace Harrier.LoadBalancer.Haproxy;

/// <summary>What <see cref="HaproxySupervisor.ApplyAsync"/> did with a configuration.</summary>
public enum ApplyOutcome
{
    /// <summary>The configuration and maps were what already runs.</summary>
    NoChange,

    /// <summary>Only server lines changed, and the runtime API applied them: no reload, same worker.</summary>
    RuntimeOnly,

    /// <summary>The shape (or the maps) changed: validated, then a seamless reload to a new worker.</summary>
    Reloaded,

    /// <summary>HAProxy refused the configuration; the previous one keeps serving and stays on disk.</summary>
    Rejected,
}
