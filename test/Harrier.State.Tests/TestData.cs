using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Deployments;
using Harrier.Core.Groups;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Harrier.Core.Time;

namespace Harrier.State.Tests;

/// <summary>Small, readable records for store tests.</summary>
internal static class TestData
{
    public static AppSpec App(string id, long version = 1000, int instances = 1) => new()
    {
        Id = PathId.Parse(id),
        Cmd = "sleep 1000",
        Instances = instances,
        VersionInfo = VersionInfo.ForNew(new Timestamp(version)),
    };

    public static GroupNode Group(string id, long version = 1000) => new(PathId.Parse(id), new Timestamp(version));

    /// <summary>A stored root group version holding <paramref name="groups"/> (default: the root) and app references.</summary>
    public static RootGroupVersion RootVersion(long version, string[]? groups = null, (string Id, long Version)[]? apps = null) => new(
        new Timestamp(version),
        new ValueList<GroupNode>([.. (groups ?? ["/"]).Select(g => Group(g, version))]),
        new ValueList<AppVersionRef>([.. (apps ?? []).Select(a => new AppVersionRef(PathId.Parse(a.Id), new Timestamp(a.Version)))]));

    public static Instance Instance(string id, string app = "/app", string? message = null) => new()
    {
        Id = new InstanceId(id),
        RunSpecId = PathId.Parse(app),
        RunSpecVersion = new Timestamp(1000),
        Since = new Timestamp(2000),
        Message = message,
    };

    public static DeploymentPlan Deployment(string id, long version = 1000) => new()
    {
        Id = new DeploymentId(id),
        Version = new Timestamp(version),
        Target = new[] { App("/app") },
        Steps = new[] { new DeploymentStep(new[] { new DeploymentAction(DeploymentActionKind.StartApplication, PathId.Parse("/app"), 1) }) },
    };

    public static AgentInfo Agent(string id, string hostname = "host") => new()
    {
        Id = new AgentId(id),
        Hostname = hostname,
        Resources = new ResourceVector(4, 8192, 100_000),
    };
}
