using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Harrier.Core.Time;

namespace Harrier.Scheduling.Tests;

/// <summary>Object builders for scheduling tests.</summary>
internal static class TestData
{
    public static readonly Timestamp T0 = Timestamp.From(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public static Timestamp At(int seconds) => T0.Plus(TimeSpan.FromSeconds(seconds));

    public static AppSpec App(string id = "/app", int instances = 1, double cpus = 0.1, double mem = 32) => new()
    {
        Id = PathId.Parse(id),
        Cmd = "sleep 1000",
        Instances = instances,
        Cpus = cpus,
        Mem = mem,
        VersionInfo = VersionInfo.ForNew(T0),
    };

    public static AppSpec WithPorts(this AppSpec app, params int[] ports) =>
        app with { PortDefinitions = new ValueList<PortDefinition>(ports.Select(p => new PortDefinition(p))) };

    public static AppSpec WithConstraints(this AppSpec app, params ConstraintSpec[] constraints) =>
        app with { Constraints = constraints };

    public static AppSpec DependingOn(this AppSpec app, params string[] ids) =>
        app with { Dependencies = new ValueList<PathId>(ids.Select(i => PathId.Parse(i))) };

    public static AgentInfo Agent(
        string id, double cpus = 4, double mem = 4096, double disk = 10000, string? rack = null, string role = "*",
        int portBegin = 31000, int portEnd = 32000, string? region = null, string? zone = null)
    {
        var attributes = rack is null ? ValueMap<string>.Empty : new ValueMap<string>([new("rack", rack)]);
        return new AgentInfo
        {
            Id = new AgentId(id),
            Hostname = id + ".example",
            Resources = new ResourceVector(cpus, mem, disk),
            Ports = new[] { new PortRange(portBegin, portEnd) },
            Attributes = attributes,
            Role = role,
            Region = region,
            Zone = zone,
            // Test agents run containers too; PlacerRuntimeTests covers agents that cannot.
            Capabilities = new[] { AgentCapabilities.ContainerImages },
        };
    }

    public static AgentCapacity Capacity(AgentInfo agent, ResourceVector used = default, IReadOnlySet<int>? usedPorts = null, bool draining = false) =>
        new(agent, used, usedPorts ?? new HashSet<int>(), draining);

    public static Instance Instance(
        string app, int n, Condition condition = Condition.Scheduled, AgentInfo? agent = null, Goal goal = Goal.Running,
        Timestamp? version = null, Timestamp? activeSince = null, Timestamp? stagedAt = null, Timestamp? since = null)
    {
        var pathId = PathId.Parse(app);
        return new Instance
        {
            Id = new InstanceId($"{pathId.SafePath}.instance-{n:D8}-0000-0000-0000-000000000000"),
            RunSpecId = pathId,
            RunSpecVersion = version ?? T0,
            Condition = condition,
            Goal = goal,
            Since = since ?? T0,
            ActiveSince = activeSince,
            StagedAt = stagedAt,
            AgentId = agent?.Id,
            Host = agent?.Hostname,
            Incarnation = condition == Condition.Scheduled ? 0 : 1,
        };
    }

    public static IReadOnlyList<Instance> Scheduled(string app, int count, int from = 0) =>
        [.. Enumerable.Range(from, count).Select(n => Instance(app, n))];
}
