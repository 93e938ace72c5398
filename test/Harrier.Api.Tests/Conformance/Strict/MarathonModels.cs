using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harrier.Api.Tests.Conformance.Strict;

/// <summary>
/// A strict Marathon client's object model, after the widely used Python client: each object is constructed from the
/// JSON's members, so a member it does not know is an error (<see cref="StrictJson"/>), and a member it needs that is
/// missing is one too. Deep structures a client passes through untouched (container, health check definitions) stay
/// <see cref="JsonElement"/>s; the RAML conformance test holds those.
/// </summary>
internal static class MarathonModels
{
    public sealed record Info(
        string Name, string Version, string Buildref, bool Elected, string? Leader, string? FrameworkId,
        [property: JsonPropertyName("marathon_config")] JsonElement MarathonConfig,
        [property: JsonPropertyName("zookeeper_config")] JsonElement ZookeeperConfig,
        [property: JsonPropertyName("http_config")] JsonElement HttpConfig);

    public sealed record App(
        string Id,
        JsonElement? AcceptedResourceRoles = null, JsonElement? Args = null, double? BackoffFactor = null, int? BackoffSeconds = null,
        string? Cmd = null, JsonElement? Constraints = null, JsonElement? Container = null, double? Cpus = null,
        JsonElement? Dependencies = null, double? Disk = null, JsonElement? Env = null, string? Executor = null,
        JsonElement? ExecutorResources = null, JsonElement? Fetch = null, JsonElement? HealthChecks = null, JsonElement? Check = null,
        int? Instances = null, Dictionary<string, string>? Labels = null, int? MaxLaunchDelaySeconds = null, double? Mem = null,
        int? Gpus = null, JsonElement? IpAddress = null, JsonElement? Networks = null, JsonElement? Ports = null,
        JsonElement? PortDefinitions = null, JsonElement? ReadinessChecks = null, JsonElement? Residency = null,
        JsonElement? ResourceLimits = null, bool? RequirePorts = null, JsonElement? Secrets = null, int? TaskKillGracePeriodSeconds = null,
        JsonElement? UpgradeStrategy = null, JsonElement? Uris = null, string? User = null, string? Version = null,
        JsonElement? VersionInfo = null, string? KillSelection = null, JsonElement? UnreachableStrategy = null, bool? Tty = null,
        string? Role = null,
        int? TasksStaged = null, int? TasksRunning = null, int? TasksHealthy = null, int? TasksUnhealthy = null,
        Identifiable[]? Deployments = null, JsonElement? ReadinessCheckResults = null, MarathonTask[]? Tasks = null,
        JsonElement? LastTaskFailure = null, JsonElement? TasksStats = null);

    public sealed record Identifiable(string Id);

    public sealed record AppList(App[] Apps);

    public sealed record AppSingle(App App);

    public sealed record IpAddr(string IpAddress, string Protocol);

    public sealed record HealthResult(bool Alive, int ConsecutiveFailures, string? FirstSuccess, string? LastSuccess, string? LastFailure, string? LastFailureCause, string InstanceId);

    public sealed record MarathonTask(
        string AppId, string Id, string Host, string State, string Role, HealthResult[]? HealthCheckResults = null, JsonElement? CheckResult = null,
        IpAddr[]? IpAddresses = null, int[]? Ports = null, int[]? ServicePorts = null, string? SlaveId = null, string? StagedAt = null,
        string? StartedAt = null, string? Version = null, JsonElement? LocalVolumes = null, string? Region = null, string? Zone = null);

    public sealed record TaskList(MarathonTask[] Tasks);

    public sealed record TaskSingle(MarathonTask Task);

    public sealed record StepAction(string Action, string? App = null, string? Pod = null);

    public sealed record ActionInfo(string Action, JsonElement[] ReadinessCheckResults, string? App = null, string? Pod = null);

    public sealed record Step(StepAction[] Actions);

    public sealed record Deployment(string Id, string Version, string[] AffectedApps, string[] AffectedPods, Step[] Steps, ActionInfo[] CurrentActions, int CurrentStep, int TotalSteps);

    public sealed record DeploymentResult(string DeploymentId, string Version);

    public sealed record Delay(long TimeLeftSeconds, bool Overdue);

    public sealed record QueueItem(int Count, string Role, Delay Delay, string Since, JsonElement ProcessedOffersSummary, App App, JsonElement? LastUnusedOffers = null);

    public sealed record QueueList(QueueItem[] Queue);

    public sealed record Group(string Id, App[]? Apps = null, JsonElement[]? Pods = null, Group[]? Groups = null, string[]? Dependencies = null, string? Version = null, bool? EnforceRole = null);

    /// <summary>A heavy plan's root group (the Python client's MarathonDeploymentOriginalState/TargetState).</summary>
    public sealed record RootState(string Id, App[] Apps, Group[] Groups, JsonElement[] Pods, string[] Dependencies, string Version);

    /// <summary>The plan of deployment events: the Python client builds both root groups and fails without them.</summary>
    public sealed record Plan(string Id, RootState Original, RootState Target, Step[] Steps, string Version);

    public sealed record StatusUpdateEvent(string SlaveId, string TaskId, string TaskStatus, string Message, string AppId, string Host, IpAddr[] IpAddresses, int[] Ports, string Version, string EventType, string Timestamp);

    public sealed record InstanceChangedEvent(string InstanceId, string Condition, string RunSpecId, string? AgentId, string Host, string RunSpecVersion, string EventType, string Timestamp);

    public sealed record InstanceHealthChangedEvent(string InstanceId, string RunSpecId, bool? Healthy, string RunSpecVersion, string EventType, string Timestamp);

    public sealed record HealthStatusChangedEvent(string AppId, string InstanceId, string Version, bool Alive, string EventType, string Timestamp);

    public sealed record FailedHealthCheckEvent(string AppId, string TaskId, JsonElement HealthCheck, string EventType, string Timestamp);

    public sealed record UnhealthyInstanceKillEvent(string AppId, string TaskId, string InstanceId, string Version, string Reason, string EventType, string Timestamp, string? Host = null, string? SlaveId = null);

    public sealed record AddHealthCheckEvent(string AppId, string Version, JsonElement HealthCheck, string EventType, string Timestamp);

    public sealed record RemoveHealthCheckEvent(string AppId, string EventType, string Timestamp);

    public sealed record GroupChangeSuccessEvent(string GroupId, string Version, string EventType, string Timestamp);

    public sealed record DeploymentStepEvent(Plan Plan, Step CurrentStep, string EventType, string Timestamp);

    public sealed record DeploymentEndEvent(string Id, Plan Plan, string EventType, string Timestamp, string? Reason = null);

    public sealed record AppTerminatedEvent(string AppId, string EventType, string Timestamp);

    public sealed record StreamEvent(string RemoteAddress, string EventType, string Timestamp);

    public sealed record ApiPostEvent(string ClientIp, string Uri, App AppDefinition, string EventType, string Timestamp);

    /// <summary>The event types the client knows (Marathon's); any other is an error, as in the Python client's factory.</summary>
    public static IReadOnlyDictionary<string, Type> EventTypes { get; } = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        ["status_update_event"] = typeof(StatusUpdateEvent),
        ["instance_changed_event"] = typeof(InstanceChangedEvent),
        ["instance_health_changed_event"] = typeof(InstanceHealthChangedEvent),
        ["health_status_changed_event"] = typeof(HealthStatusChangedEvent),
        ["failed_health_check_event"] = typeof(FailedHealthCheckEvent),
        ["unhealthy_instance_kill_event"] = typeof(UnhealthyInstanceKillEvent),
        ["add_health_check_event"] = typeof(AddHealthCheckEvent),
        ["remove_health_check_event"] = typeof(RemoveHealthCheckEvent),
        ["group_change_success"] = typeof(GroupChangeSuccessEvent),
        ["deployment_info"] = typeof(DeploymentStepEvent),
        ["deployment_step_success"] = typeof(DeploymentStepEvent),
        ["deployment_step_failure"] = typeof(DeploymentStepEvent),
        ["deployment_success"] = typeof(DeploymentEndEvent),
        ["deployment_failed"] = typeof(DeploymentEndEvent),
        ["app_terminated_event"] = typeof(AppTerminatedEvent),
        ["event_stream_attached"] = typeof(StreamEvent),
        ["event_stream_detached"] = typeof(StreamEvent),
        ["api_post_event"] = typeof(ApiPostEvent),
    };
}
