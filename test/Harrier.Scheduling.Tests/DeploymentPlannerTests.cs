using Harrier.Core.Apps;
using Harrier.Core.Deployments;
using Harrier.Core.Ids;
using Xunit;
using static Harrier.Scheduling.Tests.TestData;

namespace Harrier.Scheduling.Tests;

public sealed class DeploymentPlannerTests
{
    private static readonly DeploymentId Id = new("d1");

    private static Dictionary<PathId, AppSpec> Root(params AppSpec[] apps) => apps.ToDictionary(a => a.Id);

    private static string Describe(DeploymentPlan plan) => string.Join(" | ", plan.Steps.Select(s =>
        string.Join(",", s.Actions.Select(a => $"{a.Kind.ToString().Replace("Application", "", StringComparison.Ordinal)}:{a.RunSpecId}{(a.ScaleTo is { } n ? "=" + n : "")}"))));

    [Fact]
    public void Plan_NoChange_HasNoSteps()
    {
        var root = Root(App("/a"), App("/b"));

        var plan = DeploymentPlanner.Plan(Id, At(1), root, root);

        Assert.Empty(plan.Steps);
        Assert.Empty(plan.AffectedRunSpecs);
    }

    [Fact]
    public void Plan_NewApps_StartAtZeroThenScaleByDependencyLevel()
    {
        var db = App("/db", instances: 1);
        var api = App("/api", instances: 2).DependingOn("/db");
        var web = App("/web", instances: 3).DependingOn("/api");

        var plan = DeploymentPlanner.Plan(Id, At(1), Root(), Root(web, api, db));

        Assert.Equal("Start:/api=0,Start:/db=0,Start:/web=0 | Scale:/db=1 | Scale:/api=2 | Scale:/web=3", Describe(plan));
    }

    [Fact]
    public void Plan_DependencyOnGroup_OrdersAfterEveryAppInTheGroup()
    {
        var a = App("/back/a");
        var b = App("/back/deep/b").DependingOn("/back/a");
        var front = App("/front").DependingOn("/back");

        var plan = DeploymentPlanner.Plan(Id, At(1), Root(), Root(a, b, front));

        Assert.EndsWith("Scale:/back/a=1 | Scale:/back/deep/b=1 | Scale:/front=1", Describe(plan), StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_StopStep_IgnoresDependencies()
    {
        var db = App("/db");
        var api = App("/api").DependingOn("/db");

        var plan = DeploymentPlanner.Plan(Id, At(1), Root(db, api), Root());

        Assert.Equal("Stop:/api,Stop:/db", Describe(plan));
        Assert.Equal(["/api", "/db"], plan.Original.Select(o => o.Id.Value));
        Assert.Empty(plan.Target);
    }

    [Fact]
    public void Plan_ScaleOnly_IsScaleWithSentencedInstances()
    {
        var a = App("/a", instances: 3);
        var sentenced = new Dictionary<PathId, IReadOnlyList<InstanceId>> { [a.Id] = [new InstanceId("a.instance-1")] };

        var plan = DeploymentPlanner.Plan(Id, At(1), Root(a), Root(a with { Instances = 2 }), sentenced);

        var action = Assert.Single(Assert.Single(plan.Steps).Actions);
        Assert.Equal(DeploymentActionKind.ScaleApplication, action.Kind);
        Assert.Equal(2, action.ScaleTo);
        Assert.Equal([new InstanceId("a.instance-1")], action.SentencedToDeath);
    }

    [Fact]
    public void Plan_ConfigChange_IsRestart()
    {
        var a = App("/a");

        var plan = DeploymentPlanner.Plan(Id, At(1), Root(a), Root(a with { Cmd = "new" }));

        Assert.Equal("Restart:/a", Describe(plan));
    }

    [Fact]
    public void Plan_ConfigChangeToZeroInstances_IsScaleToZero()
    {
        var a = App("/a", instances: 2);

        var plan = DeploymentPlanner.Plan(Id, At(1), Root(a), Root(a with { Cmd = "new", Instances = 0 }));

        Assert.Equal("Scale:/a=0", Describe(plan));
    }

    [Fact]
    public void Plan_VersionInfoChangeOnly_IsRestart()
    {
        var a = App("/a");
        var restarted = a with { VersionInfo = a.VersionInfo with { Version = At(9), LastConfigChangeAt = At(9) } };

        var plan = DeploymentPlanner.Plan(Id, At(9), Root(a), Root(restarted));

        Assert.Equal("Restart:/a", Describe(plan));
    }

    [Fact]
    public void Plan_MixedChange_OnlyAffectedAppsGetActions()
    {
        var db = App("/db");
        var api = App("/api").DependingOn("/db");
        var old = App("/old");

        var plan = DeploymentPlanner.Plan(Id, At(1), Root(db, api, old), Root(db, api with { Cmd = "v2" }, App("/new")));

        Assert.Equal("Stop:/old | Start:/new=0 | Scale:/new=1 | Restart:/api", Describe(plan));
        Assert.Equal(["/api", "/new", "/old"], plan.AffectedRunSpecs.Select(p => p.Value));
    }

    [Fact]
    public void HasCycle_DetectsCyclesThroughGroups()
    {
        var a = App("/g/a").DependingOn("/h");
        var b = App("/h/b").DependingOn("/g/a");

        Assert.True(DeploymentPlanner.HasCycle(Root(a, b)));
        Assert.False(DeploymentPlanner.HasCycle(Root(a, App("/h/b"))));
    }

    [Fact]
    public void HasCycle_SelfDependencyAndUnknownDependency()
    {
        Assert.True(DeploymentPlanner.HasCycle(Root(App("/a").DependingOn("/a"))));
        Assert.False(DeploymentPlanner.HasCycle(Root(App("/a").DependingOn("/missing"))));
    }

    [Fact]
    public void Plan_GroupDependencies_ApplyToEveryAppInTheGroup()
    {
        var db = App("/data/db");
        var web = App("/front/web");
        var groups = new Dictionary<PathId, IReadOnlyList<PathId>> { [PathId.Parse("/front")] = [PathId.Parse("/data")] };

        var plan = DeploymentPlanner.Plan(Id, At(1), Root(), Root(db, web), groupDependencies: groups);

        Assert.EndsWith("Scale:/data/db=1 | Scale:/front/web=1", Describe(plan), StringComparison.Ordinal);
        Assert.True(DeploymentPlanner.HasCycle(Root(db.DependingOn("/front"), web), groups));
    }

    private static AppSpec InPlaceApp(string id, int instances = 1) =>
        App(id, instances) with { Labels = new([new(AppChangeClassifier.InPlaceUpdateLabel, "true")]) };

    [Fact]
    public void Plan_InPlaceChange_HasNoRestart()
    {
        var a = InPlaceApp("/a");
        var target = VersionBookkeeping.Apply(a, a with { BackoffSeconds = 7, Labels = a.Labels.SetItem("x", "y") }, At(5));

        var plan = DeploymentPlanner.Plan(Id, At(5), Root(a), Root(target));

        Assert.Empty(plan.Steps);
        Assert.Equal(["/a"], plan.AffectedRunSpecs.Select(p => p.Value));
    }

    [Fact]
    public void Plan_InPlaceChangeWithInstances_IsScale()
    {
        var a = InPlaceApp("/a", instances: 2);
        var target = VersionBookkeeping.Apply(a, a with { KillSelection = KillSelection.OldestFirst, Instances = 4 }, At(5));

        var plan = DeploymentPlanner.Plan(Id, At(5), Root(a), Root(target));

        Assert.Equal("Scale:/a=4", Describe(plan));
    }

    [Fact]
    public void Plan_InPlaceChangeWithRestartRequest_IsRestart()
    {
        var a = InPlaceApp("/a");
        var requested = a with { BackoffSeconds = 7, VersionInfo = a.VersionInfo with { RestartRequested = true } };

        var plan = DeploymentPlanner.Plan(Id, At(5), Root(a), Root(VersionBookkeeping.Apply(a, requested, At(5))));

        Assert.Equal("Restart:/a", Describe(plan));
    }

    [Fact]
    public void Plan_SameChangeWithoutOptIn_IsRestart()
    {
        var a = App("/a");

        var plan = DeploymentPlanner.Plan(Id, At(5), Root(a), Root(VersionBookkeeping.Apply(a, a with { BackoffSeconds = 7 }, At(5))));

        Assert.Equal("Restart:/a", Describe(plan));
    }
}
