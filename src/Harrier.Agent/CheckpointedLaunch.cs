using System.Text.Json;
using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Resources;
using Harrier.Core.Time;
using Harrier.Protocol;
using Harrier.Protocol.Json;

namespace Harrier.Agent;

/// <summary>
/// A <see cref="TaskLaunch"/> in a shape System.Text.Json round-trips (the domain types carry no serializer
/// attributes by design).
/// </summary>
internal sealed record CheckpointedLaunch
{
    public required string TaskId { get; init; }
    public required string InstanceId { get; init; }
    public required string AppId { get; init; }
    public long AppVersion { get; init; }
    public string? Shell { get; init; }
    public string[] Argv { get; init; } = [];
    public string? User { get; init; }
    public Dictionary<string, string> Environment { get; init; } = [];
    public double Cpus { get; init; }
    public double Mem { get; init; }
    public double Disk { get; init; }
    public int Gpus { get; init; }
    public double? CpuLimit { get; init; }
    public double? MemLimit { get; init; }
    public int[] HostPorts { get; init; } = [];
    public FetchUri[] Fetch { get; init; } = [];
    public int KillGracePeriodSeconds { get; init; }
    public Dictionary<string, string> Labels { get; init; } = [];
    /// <summary>Health checks as (index, spec, port); HealthCheckSpec has only plain members, so it round-trips as is.</summary>
    public CheckpointedHealthCheck[] HealthChecks { get; init; } = [];
    public CheckpointedReadiness? Readiness { get; init; }
    /// <summary>The launch's container in the protocol's own JSON (its wire shape already round-trips).</summary>
    public JsonElement? Container { get; init; }

    public static CheckpointedLaunch From(TaskLaunch l) => new()
    {
        TaskId = l.TaskId.Value,
        InstanceId = l.InstanceId.Value,
        AppId = l.AppId.Value,
        AppVersion = l.AppVersion.UnixMilliseconds,
        Shell = l.Shell,
        Argv = [.. l.Argv],
        User = l.User,
        Environment = l.Environment.ToDictionary(kv => kv.Key, kv => kv.Value),
        Cpus = l.Resources.Cpus,
        Mem = l.Resources.Mem,
        Disk = l.Resources.Disk,
        Gpus = l.Resources.Gpus,
        CpuLimit = Finite(l.Limits?.Cpus),
        MemLimit = Finite(l.Limits?.Mem),
        HostPorts = [.. l.HostPorts],
        Fetch = [.. l.Fetch],
        KillGracePeriodSeconds = l.KillGracePeriodSeconds,
        Labels = l.Labels.ToDictionary(kv => kv.Key, kv => kv.Value),
        HealthChecks = [.. l.HealthChecks.Select(c => new CheckpointedHealthCheck(c.Index, c.Spec, c.Port))],
        Readiness = l.Readiness is { } r ? CheckpointedReadiness.From(r) : null,
        Container = l.Container is { } c ? JsonSerializer.SerializeToElement(c, ProtocolJson.Options) : null,
    };

    public TaskLaunch ToLaunch() => new()
    {
        TaskId = new TaskId(TaskId),
        InstanceId = new InstanceId(InstanceId),
        AppId = PathId.FromCanonical(AppId),
        AppVersion = new Timestamp(AppVersion),
        Shell = Shell,
        Argv = Argv,
        User = User,
        Environment = new ValueMap<string>(Environment),
        Resources = new ResourceVector(Cpus, Mem, Disk, Gpus),
        Limits = CpuLimit is null && MemLimit is null ? null : new ResourceLimitsSpec(Infinite(CpuLimit), Infinite(MemLimit)),
        HostPorts = HostPorts,
        Fetch = Fetch,
        KillGracePeriodSeconds = KillGracePeriodSeconds,
        Labels = new ValueMap<string>(Labels),
        HealthChecks = new ValueList<TaskHealthCheck>([.. HealthChecks.Select(c => new TaskHealthCheck(c.Index, c.Spec, c.Port))]),
        Readiness = Readiness?.ToCheck(),
        Container = Container is { } c ? c.Deserialize<TaskContainer>(ProtocolJson.Options) : null,
    };

    // JSON has no infinity: "unlimited" is stored as -1.
    private static double? Finite(double? v) => v is { } d && double.IsPositiveInfinity(d) ? -1 : v;

    private static double? Infinite(double? v) => v is < 0 ? double.PositiveInfinity : v;
}
