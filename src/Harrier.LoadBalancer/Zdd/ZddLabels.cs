namespace Harrier.LoadBalancer.Zdd;

/// <summary>The app labels zdd reads and writes (marathon-lb's names; spec §1.4 and §1.9).</summary>
internal static class ZddLabels
{
    public const string DeploymentGroup = "HAPROXY_DEPLOYMENT_GROUP";
    public const string AltPort = "HAPROXY_DEPLOYMENT_ALT_PORT";
    public const string Colour = "HAPROXY_DEPLOYMENT_COLOUR";
    public const string StartedAt = "HAPROXY_DEPLOYMENT_STARTED_AT";
    public const string TargetInstances = "HAPROXY_DEPLOYMENT_TARGET_INSTANCES";
    public const string NewInstances = "HAPROXY_DEPLOYMENT_NEW_INSTANCES";
    public const string AppId = "HAPROXY_APP_ID";
    public const string Port0 = "HAPROXY_0_PORT";

    public const string Blue = "blue";
    public const string Green = "green";
}
