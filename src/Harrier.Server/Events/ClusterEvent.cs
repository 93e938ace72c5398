using Harrier.Core.Apps;
using Harrier.Core.Deployments;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Time;
using Harrier.Server.Cluster;
using Harrier.Server.Health;

namespace Harrier.Server.Events;

/// <summary>
/// Something that happened, as the control plane saw it. The API turns each into Marathon's event JSON
/// (<c>/v2/events</c>). Events are published only after the change that caused them was committed.
/// </summary>
public abstract record ClusterEvent(Timestamp Timestamp);

/// <summary>A task's state changed (Marathon's <c>status_update_event</c> and <c>instance_changed_event</c>).</summary>
public sealed record TaskStatusEvent(Timestamp Timestamp, Instance Instance, string MesosState, string? Message) : ClusterEvent(Timestamp);

/// <summary>A step began (<c>deployment_info</c>), ended (<c>deployment_step_success</c>), or the plan ended.</summary>
public sealed record DeploymentStepEvent(Timestamp Timestamp, DeploymentPlan Plan, int Step, bool Finished, bool Failed = false) : ClusterEvent(Timestamp);

public sealed record DeploymentSuccessEvent(Timestamp Timestamp, DeploymentPlan Plan) : ClusterEvent(Timestamp);

public sealed record DeploymentFailedEvent(Timestamp Timestamp, DeploymentPlan Plan, string Reason) : ClusterEvent(Timestamp)
{
    /// <summary>A cancelled plan: <c>deployment_step_failure</c> for the step it was in (if it had begun), then <c>deployment_failed</c>.</summary>
    public static IEnumerable<ClusterEvent> Cancelled(Timestamp now, DeploymentPlan plan)
    {
        if (plan.CurrentStep >= 1 && plan.CurrentStep <= plan.Steps.Count)
        {
            yield return new DeploymentStepEvent(now, plan, plan.CurrentStep, Finished: true, Failed: true);
        }
        yield return new DeploymentFailedEvent(now, plan, "The upgrade has been cancelled");
    }
}

public sealed record AppTerminatedEvent(Timestamp Timestamp, PathId AppId) : ClusterEvent(Timestamp);

public sealed record GroupChangeSuccessEvent(Timestamp Timestamp, PathId GroupId, Timestamp Version) : ClusterEvent(Timestamp);

/// <summary>A single app was created or changed through the API (<c>api_post_event</c>).</summary>
public sealed record ApiPostEvent(Timestamp Timestamp, string ClientIp, string Uri, AppSpec App) : ClusterEvent(Timestamp);

/// <summary>An event-stream client connected or disconnected.</summary>
public sealed record EventStreamEvent(Timestamp Timestamp, string RemoteAddress, bool Attached) : ClusterEvent(Timestamp);

/// <summary>An instance's goal changed (Marathon publishes <c>instance_changed_event</c> for goal changes too).</summary>
public sealed record InstanceChangedEvent(Timestamp Timestamp, Instance Instance) : ClusterEvent(Timestamp);

/// <summary>An instance's aggregated health changed (<c>instance_health_changed_event</c>); null = unknown.</summary>
public sealed record InstanceHealthChangedEvent(Timestamp Timestamp, Instance Instance, bool? Healthy) : ClusterEvent(Timestamp);

/// <summary>One health check's <c>alive</c> flipped (<c>health_status_changed_event</c>).</summary>
public sealed record HealthStatusChangedEvent(Timestamp Timestamp, Instance Instance, bool Alive) : ClusterEvent(Timestamp);

/// <summary>A counted health-check failure (<c>failed_health_check_event</c>); <see cref="Check"/> is null if the app no longer has it.</summary>
public sealed record FailedHealthCheckEvent(Timestamp Timestamp, Instance Instance, HealthCheckSpec? Check) : ClusterEvent(Timestamp);

/// <summary>An instance killed for failing its health checks (<c>unhealthy_instance_kill_event</c>).</summary>
public sealed record UnhealthyInstanceKillEvent(Timestamp Timestamp, Instance Instance, string Reason) : ClusterEvent(Timestamp);

/// <summary>Health checks registered for an app version (<c>add_health_check_event</c>), one per check.</summary>
public sealed record AddHealthCheckEvent(Timestamp Timestamp, PathId AppId, Timestamp Version, HealthCheckSpec Check) : ClusterEvent(Timestamp);

/// <summary>An app's health checks were removed (<c>remove_health_check_event</c>).</summary>
public sealed record RemoveHealthCheckEvent(Timestamp Timestamp, PathId AppId) : ClusterEvent(Timestamp);

/// <summary>Harrier: what a deployment action now waits for changed (<c>deployment_waiting_event</c>); null = no longer waiting.</summary>
public sealed record DeploymentWaitingEvent(Timestamp Timestamp, DeploymentId DeploymentId, PathId AppId, WaitReason? Reason) : ClusterEvent(Timestamp);

/// <summary>Harrier: the health-kill circuit breaker changed state (<c>health_kill_circuit_breaker_event</c>).</summary>
public sealed record HealthBreakerEvent(Timestamp Timestamp, HealthBreakerState State) : ClusterEvent(Timestamp);
