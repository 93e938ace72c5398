namespace Harrier.Api.Security;

/// <summary>What a grant allows on the paths it covers. Each level includes the ones below it: <c>write</c> may read,
/// <c>admin</c> may write. Cluster-wide endpoints (agents, images, orphans, metrics, leader) need <c>admin</c> on
/// <c>/*</c>.</summary>
public enum AccessAction
{
    /// <summary>See apps, groups, tasks, deployments, the queue, events and logs under the path.</summary>
    Read = 1,

    /// <summary>Create, change, scale, restart and delete apps, kill tasks and cancel deployments under the path.</summary>
    Write = 2,

    /// <summary>Everything; on <c>/*</c> also the cluster's own endpoints.</summary>
    Admin = 3,
}
