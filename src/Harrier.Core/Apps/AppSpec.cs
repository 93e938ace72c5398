using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Time;

namespace Harrier.Core.Apps;

/// <summary>
/// The desired definition of an app: Marathon's canonical (normalized) AppDefinition, after defaults and
/// legacy-field translation. Structural equality: two specs are equal when every field is.
/// </summary>
public sealed record AppSpec
{
    public required PathId Id { get; init; }
    public string? Cmd { get; init; }
    public ValueList<string> Args { get; init; } = ValueList<string>.Empty;
    public string? User { get; init; }
    public int Instances { get; init; } = 1;
    public double Cpus { get; init; } = 1.0;
    public double Mem { get; init; } = 128.0;
    public double Disk { get; init; }
    public int Gpus { get; init; }
    public ResourceLimitsSpec? ResourceLimits { get; init; }
    public string Executor { get; init; } = "";
    public ExecutorResourcesSpec? ExecutorResources { get; init; }
    public ValueMap<EnvValue> Env { get; init; } = ValueMap<EnvValue>.Empty;
    public ValueMap<string> Secrets { get; init; } = ValueMap<string>.Empty;
    public ValueMap<string> Labels { get; init; } = ValueMap<string>.Empty;
    public ValueList<ConstraintSpec> Constraints { get; init; } = ValueList<ConstraintSpec>.Empty;
    /// <summary>Null when not given (the default behaviour applies); never empty when set.</summary>
    public ValueList<string>? AcceptedResourceRoles { get; init; }
    public string Role { get; init; } = "*";
    public ContainerSpec? Container { get; init; }
    public ValueList<NetworkSpec> Networks { get; init; } = new[] { NetworkSpec.Host };
    public ValueList<PortDefinition> PortDefinitions { get; init; } = ValueList<PortDefinition>.Empty;
    public bool RequirePorts { get; init; }
    public ValueList<FetchUri> Fetch { get; init; } = ValueList<FetchUri>.Empty;
    public ValueList<HealthCheckSpec> HealthChecks { get; init; } = ValueList<HealthCheckSpec>.Empty;
    public CheckSpec? Check { get; init; }
    public ValueList<ReadinessCheckSpec> ReadinessChecks { get; init; } = ValueList<ReadinessCheckSpec>.Empty;
    public ValueList<PathId> Dependencies { get; init; } = ValueList<PathId>.Empty;
    public UpgradeStrategy UpgradeStrategy { get; init; } = UpgradeStrategy.Default;
    public int BackoffSeconds { get; init; } = 1;
    public double BackoffFactor { get; init; } = 1.15;
    public int MaxLaunchDelaySeconds { get; init; } = 300;
    public KillSelection KillSelection { get; init; } = KillSelection.YoungestFirst;
    public UnreachableStrategy UnreachableStrategy { get; init; } = UnreachableStrategy.Default;
    public int? TaskKillGracePeriodSeconds { get; init; }
    public bool? Tty { get; init; }
    public ResidencySpec? Residency { get; init; }
    public VersionInfo VersionInfo { get; init; } = VersionInfo.None;

    /// <summary>The networking mode of the first network (Marathon allows one host, one bridge, or 1..n container).</summary>
    public NetworkMode NetworkMode => Networks.Count == 0 ? NetworkMode.Host : Networks[0].Mode;

    public bool IsHostNetworking => NetworkMode == NetworkMode.Host;

    /// <summary>Service ports: portDefinitions ports on host networking, portMappings service ports otherwise.</summary>
    public IReadOnlyList<int> ServicePorts =>
        IsHostNetworking
            ? PortDefinitions.Select(p => p.Port).ToArray()
            : (Container?.PortMappings ?? ValueList<PortMapping>.Empty).Select(p => p.ServicePort).ToArray();

    /// <summary>The app's persistent local volumes (an app with any is resident).</summary>
    public IEnumerable<VolumeSpec> PersistentVolumes => Container?.Volumes.Where(v => v.Persistent is not null) ?? [];

    /// <summary>Marathon's <c>isResident</c>: the app has persistent volumes (the API sets <see cref="Residency"/> for
    /// exactly these apps).</summary>
    public bool IsResident => PersistentVolumes.Any();

    /// <summary>Disk (MiB) the app's persistent volumes reserve on an agent for each instance.</summary>
    public long PersistentVolumeMiB => PersistentVolumes.Sum(v => v.Persistent!.Size);

    /// <summary>
    /// Marathon's <c>isUpgrade</c>: any change other than <c>instances</c>, version bookkeeping and
    /// <c>executorResources</c> restarts instances.
    /// </summary>
    public bool IsUpgradeFrom(AppSpec previous) =>
        this with { Instances = 0, VersionInfo = VersionInfo.None, ExecutorResources = null }
        != previous with { Instances = 0, VersionInfo = VersionInfo.None, ExecutorResources = null };

    /// <summary>The version (last change time) of this definition.</summary>
    public Timestamp Version => VersionInfo.Version;
}
