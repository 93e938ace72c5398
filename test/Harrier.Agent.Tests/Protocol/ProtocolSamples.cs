using Harrier.Core.Apps;
using Harrier.Core.Health;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Harrier.Core.Time;
using Harrier.Protocol;

namespace Harrier.Agent.Tests.Protocol;

/// <summary>Protocol messages with every optional member set (Full*) and with all of them left out (Minimal*).</summary>
internal static class ProtocolSamples
{
    public static readonly TaskId SampleTask = new("web_api.instance-0b6c2a9e-7e1f-4c55-9a57-1f0f3a2d4e5b._app.2");
    public static readonly AgentId Agent = new("agent-1");
    public static readonly Timestamp Time = new(1_795_336_200_123);
    public static readonly Guid Update = Guid.Parse("5f0c7a4e-2d8b-4d61-9c1e-0a9b8c7d6e5f");

    public static HealthCheckSpec FullHealthSpec => new()
    {
        Protocol = HealthCheckProtocol.MesosHttp,
        Path = "/health",
        PortIndex = 1,
        Port = 8080,
        Command = "true",
        GracePeriodSeconds = 5,
        IntervalSeconds = 2,
        TimeoutSeconds = 1,
        MaxConsecutiveFailures = 4,
        DelaySeconds = 0,
        IgnoreHttp1xx = true,
        IpProtocol = "IPv6",
    };

    public static ReadinessCheckSpec FullReadinessSpec => new()
    {
        Name = "ready",
        Protocol = "HTTPS",
        Path = "/ready",
        PortName = "api",
        IntervalSeconds = 3,
        TimeoutSeconds = 2,
        HttpStatusCodesForReady = new[] { 200, 204 },
        PreserveLastResponse = true,
    };

    public static TaskLaunch FullLaunch => new()
    {
        TaskId = SampleTask,
        InstanceId = SampleTask.Instance!.Value,
        AppId = PathId.Parse("/web/api"),
        AppVersion = Time,
        Shell = "exec ./server --port $PORT0",
        Argv = new[] { "./server", "--port", "31001" },
        User = "nobody",
        Environment = new Harrier.Core.Collections.ValueMap<string>(
            [new("PORT0", "31001"), new("HOST", "node-1"), new("EMPTY", "")]),
        Resources = new ResourceVector(0.5, 128, 64, 1),
        Limits = new ResourceLimitsSpec(double.PositiveInfinity, 256.5),
        HostPorts = new[] { 31001, 31002 },
        Fetch = new[]
        {
            new FetchUri("http://127.0.0.1/app.tgz"),
            new FetchUri("http://127.0.0.1/run.sh", Extract: false, Executable: true, Cache: true, DestPath: "bin/run.sh"),
        },
        KillGracePeriodSeconds = 7,
        Labels = new Harrier.Core.Collections.ValueMap<string>([new("team", "core")]),
        HealthChecks = new[] { new TaskHealthCheck(0, FullHealthSpec, 31001), new TaskHealthCheck(1, new HealthCheckSpec { Protocol = HealthCheckProtocol.Command, Command = "true" }, null) },
        Readiness = new TaskReadinessCheck(FullReadinessSpec, 31002),
        Container = new TaskContainer
        {
            Type = ContainerType.Docker,
            Image = "dcoslabs/httpi:latest",
            ForcePullImage = true,
            Parameters = new[] { new DockerParameter("label", "MESOS_TASK_ID=t") },
            Volumes = new[] { new TaskVolume("/data", false, HostPath: "/srv/data"), new TaskVolume("pv", false, PersistentId: "i#pv", SizeMiB: 64) },
            Networks = new[] { NetworkSpec.Host },
        },
    };

    public static TaskLaunch MinimalLaunch => new()
    {
        TaskId = SampleTask,
        InstanceId = SampleTask.Instance!.Value,
        AppId = PathId.Parse("/web/api"),
        AppVersion = Time,
        Resources = new ResourceVector(0.1, 32, 0),
    };

    public static AgentInfo FullAgentInfo => new()
    {
        Id = Agent,
        Hostname = "node-1",
        Resources = new ResourceVector(4, 8192, 10240, 2),
        Ports = new[] { new PortRange(31000, 31099), new PortRange(32000, 32000) },
        Attributes = new Harrier.Core.Collections.ValueMap<string>([new("rack", "r1"), new("ssd", "true")]),
        Role = "web",
        Region = "eu",
        Zone = "eu-1a",
    };

    public static AgentInfo MinimalAgentInfo => new() { Id = Agent, Hostname = "node-1", Resources = new ResourceVector(1, 512, 0) };

    public static TaskHealthReport FullHealthReport => new(
        Agent,
        SampleTask,
        Time,
        new[]
        {
            new HealthCheckResult
            {
                CheckIndex = 0,
                ConsecutiveFailures = 2,
                FirstSuccess = Time,
                LastSuccess = Time.Plus(TimeSpan.FromSeconds(1)),
                LastFailure = Time.Plus(TimeSpan.FromMilliseconds(1001)),
                LastFailureCause = "connection refused",
            },
            new HealthCheckResult { CheckIndex = 1 },
        },
        new ReadinessCheckResult { Name = "ready", Ready = true, LastResponse = new ReadinessResponse(204, "text/plain", "ok\n") },
        new[] { 0 });

    public static TaskHealthReport MinimalHealthReport => new(Agent, SampleTask, Time, Harrier.Core.Collections.ValueList<HealthCheckResult>.Empty);

    public static TaskStatusUpdate FullStatus => new(Update, Agent, SampleTask, TaskState.Failed, Time, "REASON_CONTAINER_LIMITATION_MEMORY", "OOM killed", false);

    public static TaskStatusUpdate MinimalStatus => new(Update, Agent, SampleTask, TaskState.Running, Time);
}
