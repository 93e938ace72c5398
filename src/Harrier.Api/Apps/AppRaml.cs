using Harrier.Core.Apps;

namespace Harrier.Api.Apps;

/// <summary>
/// An app body as the RAML reader sees it, before normalization: deprecated fields (<c>ports</c>, <c>uris</c>,
/// <c>ipAddress</c>) are still present, and optional fields whose absence matters are null.
/// </summary>
internal sealed record AppRaml
{
    public string? Id { get; init; }
    public string? Cmd { get; init; }
    public IReadOnlyList<string> Args { get; init; } = [];
    public string? User { get; init; }
    public int Instances { get; init; } = 1;
    public double Cpus { get; init; } = 1.0;
    public double Mem { get; init; } = 128.0;
    public double Disk { get; init; }
    public int Gpus { get; init; }
    public ResourceLimitsSpec? ResourceLimits { get; init; }
    /// <summary>Resource limits given as strings other than "unlimited" (a validation error, not a JSON one).</summary>
    public IReadOnlyList<(string Name, string Value)> InvalidResourceLimits { get; init; } = [];
    public string Executor { get; init; } = "";
    public ExecutorResourcesSpec? ExecutorResources { get; init; }
    public IReadOnlyDictionary<string, EnvValue> Env { get; init; } = new Dictionary<string, EnvValue>();
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<IReadOnlyList<string>> Constraints { get; init; } = [];
    public IReadOnlyList<string>? AcceptedResourceRoles { get; init; }
    public string? Role { get; init; }
    public ContainerRaml? Container { get; init; }
    public IReadOnlyList<NetworkSpec>? Networks { get; init; }
    public IReadOnlyList<PortDefinition>? PortDefinitions { get; init; }
    public IReadOnlyList<int>? Ports { get; init; }
    public bool RequirePorts { get; init; }
    public IReadOnlyList<FetchUri> Fetch { get; init; } = [];
    public IReadOnlyList<string>? Uris { get; init; }
    public IReadOnlyList<HealthCheckSpec> HealthChecks { get; init; } = [];
    public CheckSpec? Check { get; init; }
    public IReadOnlyList<ReadinessCheckSpec> ReadinessChecks { get; init; } = [];
    public IReadOnlyList<string> Dependencies { get; init; } = [];
    public UpgradeStrategy? UpgradeStrategy { get; init; }
    public int BackoffSeconds { get; init; } = 1;
    public double BackoffFactor { get; init; } = 1.15;
    public int MaxLaunchDelaySeconds { get; init; } = 300;
    public KillSelection KillSelection { get; init; } = KillSelection.YoungestFirst;
    public UnreachableStrategy? UnreachableStrategy { get; init; }
    public int? TaskKillGracePeriodSeconds { get; init; }
    public bool? Tty { get; init; }
    public ResidencySpec? Residency { get; init; }
    public IpAddressRaml? IpAddress { get; init; }
}
