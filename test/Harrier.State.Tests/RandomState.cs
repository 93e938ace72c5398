using System.Collections.Immutable;
using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Deployments;
using Harrier.Core.Groups;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Harrier.Core.Time;

namespace Harrier.State.Tests;

/// <summary>Seeded random Core records that exercise every field, null and non-null, for codec round trips.</summary>
internal sealed class RandomState(int seed)
{
    private static readonly string[] Words = ["web", "api", "db", "a-b", "x1", "ünïcødé", "tab\there", "quote\"s", "slash/", "", " ", "日本", "emoji😀"];

    private readonly Random _random = new(seed);

    public int Seed { get; } = seed;

    public AppSpec App(PathId? id = null) => new()
    {
        Id = id ?? PathIdValue(),
        Cmd = Maybe(Text),
        Args = List(Text),
        User = Maybe(Text),
        Instances = _random.Next(0, 100),
        Cpus = Double(),
        Mem = Double(),
        Disk = Double(),
        Gpus = _random.Next(0, 4),
        ResourceLimits = MaybeRecord(() => new ResourceLimitsSpec(MaybeDouble(), Bool() ? double.PositiveInfinity : MaybeDouble())),
        Executor = Text(),
        ExecutorResources = MaybeRecord(() => new ExecutorResourcesSpec(Double(), Double(), Double())),
        Env = Map(() => Bool() ? EnvValue.Of(Text()) : new EnvValue(null, Text())),
        Secrets = Map(Text),
        Labels = Map(Text),
        Constraints = List(Constraint),
        AcceptedResourceRoles = Bool() ? (ValueList<string>?)null : new ValueList<string>(Enumerable.Range(0, 1 + _random.Next(3)).Select(_ => Text())),
        Role = Text(),
        Container = MaybeRecord(Container),
        Networks = List(() => new NetworkSpec(Enum<NetworkMode>(), Maybe(Text), Map(Text))),
        PortDefinitions = List(() => new PortDefinition(_random.Next(0, 65536), Maybe(Text), Text(), Map(Text))),
        RequirePorts = Bool(),
        Fetch = List(() => new FetchUri(Text(), Bool(), Bool(), Bool(), Maybe(Text))),
        HealthChecks = List(HealthCheck),
        Check = MaybeRecord(Check),
        ReadinessChecks = List(Readiness),
        Dependencies = List(PathIdValue),
        UpgradeStrategy = new UpgradeStrategy(Double(), Double()),
        BackoffSeconds = _random.Next(),
        BackoffFactor = Double(),
        MaxLaunchDelaySeconds = _random.Next(),
        KillSelection = Enum<KillSelection>(),
        UnreachableStrategy = new UnreachableStrategy(Bool(), _random.Next(), _random.Next()),
        TaskKillGracePeriodSeconds = Bool() ? _random.Next() : null,
        Tty = Bool() ? Bool() : null,
        Residency = MaybeRecord(() => new ResidencySpec(_random.Next(), Text())),
        VersionInfo = new VersionInfo(Time(), Time(), Time(), Bool()),
    };

    public Instance Instance(PathId? runSpec = null) => new()
    {
        Id = new InstanceId(Text() + ".instance-" + _random.Next()),
        RunSpecId = runSpec ?? PathIdValue(),
        RunSpecVersion = Time(),
        Goal = Enum<Goal>(),
        Condition = Enum<Condition>(),
        Since = Time(),
        ActiveSince = Bool() ? Time() : null,
        AgentId = Bool() ? new AgentId(Text()) : null,
        Host = Maybe(Text),
        Incarnation = _random.Next(0, 5),
        StagedAt = Bool() ? Time() : null,
        StartedAt = Bool() ? Time() : null,
        HostPorts = List(() => _random.Next(0, 65536)),
        Healthy = Bool() ? Bool() : null,
        Role = Text(),
        Message = Maybe(Text),
        UnreachableSince = Bool() ? Time() : null,
        LocalVolumes = Bool() ? List(Text) : Harrier.Core.Collections.ValueList<string>.Empty,
    };

    public DeploymentPlan Deployment() => new()
    {
        Id = new DeploymentId(Text() + _random.Next()),
        Version = Time(),
        Original = List(() => App()),
        Target = List(() => App()),
        Steps = List(() => new DeploymentStep(List(() => new DeploymentAction(
            Enum<DeploymentActionKind>(), PathIdValue(), Bool() ? _random.Next() : null, List(() => new InstanceId(Text())))))),
        CurrentStep = _random.Next(0, 5),
    };

    public GroupNode Group() => new(PathIdValue(), Time(), List(PathIdValue), Bool() ? Bool() : null);

    public AgentInfo Agent() => new()
    {
        Id = new AgentId(Text() + _random.Next()),
        Hostname = Text(),
        Resources = new ResourceVector(Double(), Double(), Double(), _random.Next(0, 8)),
        Ports = List(() => new PortRange(_random.Next(0, 1000), _random.Next(1000, 65536))),
        Attributes = Map(Text),
        Role = Text(),
        Region = Maybe(Text),
        Zone = Maybe(Text),
    };

    public PathId PathIdValue() =>
        PathId.FromSegments(Enumerable.Range(0, 1 + _random.Next(3)).Select(_ => "s" + _random.Next(1000)));

    public Timestamp Time() => new(_random.NextInt64(-10_000_000_000L, 10_000_000_000_000L));

    private ContainerSpec Container() => new()
    {
        Type = Enum<ContainerType>(),
        Docker = MaybeRecord(() => new DockerSpec
        {
            Image = Text(),
            ForcePullImage = Bool(),
            Privileged = Bool(),
            Parameters = List(() => new DockerParameter(Text(), Text())),
            PullConfigSecret = Maybe(Text),
        }),
        PortMappings = List(() => new PortMapping(
            _random.Next(0, 65536), Bool() ? _random.Next(0, 65536) : null, _random.Next(0, 65536), Text(), Maybe(Text), Map(Text), List(Text))),
        Volumes = List(() => new VolumeSpec
        {
            ContainerPath = Text(),
            Mode = Maybe(Text),
            HostPath = Maybe(Text),
            Persistent = MaybeRecord(() => new PersistentVolumeSpec(Text(), _random.NextInt64(), Bool() ? _random.NextInt64() : null, Maybe(Text), List(Constraint))),
            External = Maybe(Text),
            Secret = Maybe(Text),
        }),
        LinuxInfo = MaybeRecord(() => new LinuxInfoSpec(Maybe(Text), Bool() ? Bool() : null, Maybe(Text), Bool() ? _random.Next() : null)),
    };

    private HealthCheckSpec HealthCheck() => new()
    {
        Protocol = Enum<HealthCheckProtocol>(),
        Path = Maybe(Text),
        PortIndex = Bool() ? _random.Next(5) : null,
        Port = Bool() ? _random.Next(65536) : null,
        Command = Maybe(Text),
        GracePeriodSeconds = _random.Next(),
        IntervalSeconds = _random.Next(),
        TimeoutSeconds = _random.Next(),
        MaxConsecutiveFailures = _random.Next(),
        DelaySeconds = _random.Next(),
        IgnoreHttp1xx = Bool(),
        IpProtocol = Text(),
    };

    private CheckSpec Check() => new()
    {
        Http = MaybeRecord(() => new CheckHttp(Bool() ? _random.Next(5) : null, Bool() ? _random.Next(65536) : null, Maybe(Text), Text())),
        Tcp = MaybeRecord(() => new CheckTcp(Bool() ? _random.Next(5) : null, Bool() ? _random.Next(65536) : null)),
        ExecCommand = Maybe(Text),
        IntervalSeconds = _random.Next(),
        TimeoutSeconds = _random.Next(),
        DelaySeconds = _random.Next(),
    };

    private ReadinessCheckSpec Readiness() => new()
    {
        Name = Text(),
        Protocol = Text(),
        Path = Text(),
        PortName = Text(),
        IntervalSeconds = _random.Next(),
        TimeoutSeconds = _random.Next(),
        HttpStatusCodesForReady = List(() => _random.Next(100, 600)),
        PreserveLastResponse = Bool(),
    };

    private ConstraintSpec Constraint() => new(Text(), Text(), Maybe(Text));

    private string Text() => _random.Next(4) switch
    {
        0 => Words[_random.Next(Words.Length)],
        1 => new string(Enumerable.Range(0, _random.Next(20)).Select(_ => (char)_random.Next(32, 0xD7FF)).ToArray()),
        _ => "t" + _random.Next(100_000),
    };

    private string? Maybe(Func<string> make) => Bool() ? make() : null;

    private T? MaybeRecord<T>(Func<T> make) where T : class => Bool() ? make() : null;

    private double? MaybeDouble() => Bool() ? Double() : null;

    private double Double() => _random.Next(9) switch
    {
        0 => 0,
        6 => double.NaN,
        7 => double.NegativeInfinity,
        8 => -_random.NextDouble(),
        1 => _random.Next(1000),
        2 => double.MaxValue,
        3 => double.Epsilon,
        _ => _random.NextDouble() * Math.Pow(10, _random.Next(-10, 10)),
    };

    private bool Bool() => _random.Next(2) == 0;

    private T Enum<T>() where T : struct, Enum
    {
        var values = System.Enum.GetValues<T>();
        return values[_random.Next(values.Length)];
    }

    private ValueList<T> List<T>(Func<T> make) =>
        new(Enumerable.Range(0, _random.Next(4)).Select(_ => make()).ToImmutableArray());

    private ValueMap<T> Map<T>(Func<T> make) =>
        new(Enumerable.Range(0, _random.Next(4)).Select(i => KeyValuePair.Create(Text() + i, make()))
            .DistinctBy(p => p.Key, StringComparer.Ordinal));
}
