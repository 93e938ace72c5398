using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Resources;
using Harrier.Core.Time;

namespace Harrier.Protocol;

/// <summary>
/// Everything an agent needs to run one task. The server computes the Marathon environment (PORT0…, HOST,
/// MARATHON_APP_*, MESOS_TASK_ID); the agent adds what only it knows (MESOS_SANDBOX).
/// Exactly one of <see cref="Shell"/> (run via <c>/bin/sh -c</c>) or <see cref="Argv"/> (exec'd directly) is set.
/// </summary>
public sealed record TaskLaunch
{
    public required TaskId TaskId { get; init; }
    public required InstanceId InstanceId { get; init; }
    public required PathId AppId { get; init; }
    public required Timestamp AppVersion { get; init; }
    public string? Shell { get; init; }
    public ValueList<string> Argv { get; init; } = ValueList<string>.Empty;
    public string? User { get; init; }
    public ValueMap<string> Environment { get; init; } = ValueMap<string>.Empty;
    public required ResourceVector Resources { get; init; }
    public ResourceLimitsSpec? Limits { get; init; }
    public ValueList<int> HostPorts { get; init; } = ValueList<int>.Empty;
    public ValueList<FetchUri> Fetch { get; init; } = ValueList<FetchUri>.Empty;
    /// <summary>Seconds between SIGTERM and SIGKILL when the task is killed.</summary>
    public int KillGracePeriodSeconds { get; init; } = 3;
    public ValueMap<string> Labels { get; init; } = ValueMap<string>.Empty;
    /// <summary>Health checks the agent runs next to the task once it is Running (see <see cref="TaskHealthReport"/>).</summary>
    public ValueList<TaskHealthCheck> HealthChecks { get; init; } = ValueList<TaskHealthCheck>.Empty;
    /// <summary>A readiness check the agent runs from Running until the task first answers ready.</summary>
    public TaskReadinessCheck? Readiness { get; init; }
    /// <summary>The app's container (image, volumes, networks); null when it has none.</summary>
    public TaskContainer? Container { get; init; }
}
