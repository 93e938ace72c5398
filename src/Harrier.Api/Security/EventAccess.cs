using Harrier.Server.Events;

namespace Harrier.Api.Security;

/// <summary>
/// Which events a principal's <c>/v2/events</c> stream carries: those about apps it may read (a deployment's events
/// only when it may read every app the plan touches, since they carry the plan), and the cluster's own events
/// (stream attach/detach with client addresses, the health breaker) only for cluster administrators. An event type
/// not named here is for administrators only, so a new kind of event cannot leak by default.
/// </summary>
internal static class EventAccess
{
    public static bool Visible(Principal principal, ClusterEvent e) => principal.IsClusterAdmin || e switch
    {
        TaskStatusEvent x => principal.CanRead(x.Instance.RunSpecId),
        InstanceChangedEvent x => principal.CanRead(x.Instance.RunSpecId),
        InstanceHealthChangedEvent x => principal.CanRead(x.Instance.RunSpecId),
        HealthStatusChangedEvent x => principal.CanRead(x.Instance.RunSpecId),
        FailedHealthCheckEvent x => principal.CanRead(x.Instance.RunSpecId),
        UnhealthyInstanceKillEvent x => principal.CanRead(x.Instance.RunSpecId),
        DeploymentStepEvent x => x.Plan.AffectedRunSpecs.All(principal.CanRead),
        DeploymentSuccessEvent x => x.Plan.AffectedRunSpecs.All(principal.CanRead),
        DeploymentFailedEvent x => x.Plan.AffectedRunSpecs.All(principal.CanRead),
        DeploymentWaitingEvent x => principal.CanRead(x.AppId),
        AppTerminatedEvent x => principal.CanRead(x.AppId),
        AddHealthCheckEvent x => principal.CanRead(x.AppId),
        RemoveHealthCheckEvent x => principal.CanRead(x.AppId),
        ApiPostEvent x => principal.CanRead(x.App.Id),
        GroupChangeSuccessEvent x => principal.CanRead(x.GroupId),
        _ => false,
    };
}
