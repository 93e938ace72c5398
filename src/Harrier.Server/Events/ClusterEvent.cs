using Harrier.Core.Apps;
using Harrier.Core.Deployments;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Time;

namespace Harrier.Server.Events;

/// <summary>
/// Something that happened, as the control plane saw it. The API turns each into Marathon's event JSON
/// (<c>/v2/events</c>). Events are published only after the change that caused them was committed.
/// </summary>
public abstract record ClusterEvent(Timestamp Timestamp);

/// <summary>A task's state changed (Marathon's <c>status_update_event</c> and <c>instance_changed_event</c>).</summary>
public sealed record TaskStatusEvent(Timestamp Timestamp, Instance Instance, string MesosState, string? Message) : ClusterEvent(Timestamp);

/// <summary>A step began (<c>deployment_info</c>), ended (<c>deployment_step_success</c>), or the plan ended.</summary>
public sealed record DeploymentStepEvent(Timestamp Timestamp, DeploymentPlan Plan, int Step, bool Finished) : ClusterEvent(Timestamp);

public sealed record DeploymentSuccessEvent(Timestamp Timestamp, DeploymentPlan Plan) : ClusterEvent(Timestamp);

public sealed record DeploymentFailedEvent(Timestamp Timestamp, DeploymentPlan Plan, string Reason) : ClusterEvent(Timestamp);

public sealed record AppTerminatedEvent(Timestamp Timestamp, PathId AppId) : ClusterEvent(Timestamp);

public sealed record GroupChangeSuccessEvent(Timestamp Timestamp, PathId GroupId, Timestamp Version) : ClusterEvent(Timestamp);

/// <summary>A single app was created or changed through the API (<c>api_post_event</c>).</summary>
public sealed record ApiPostEvent(Timestamp Timestamp, string ClientIp, string Uri, AppSpec App) : ClusterEvent(Timestamp);

/// <summary>An event-stream client connected or disconnected.</summary>
public sealed record EventStreamEvent(Timestamp Timestamp, string RemoteAddress, bool Attached) : ClusterEvent(Timestamp);
