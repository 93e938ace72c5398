using System.Collections.Concurrent;
using Harrier.Api.Tests.Endpoints;
using Harrier.Testing;
using Xunit;
using static Harrier.Api.Tests.Conformance.Strict.MarathonModels;

namespace Harrier.Api.Tests.Conformance.Strict;

/// <summary>
/// A strict client (one that builds objects from the JSON and fails on a member it does not know, as real Marathon
/// clients do) drives apps, deployments, tasks, queue, info, groups and the event stream end to end against the
/// in-process server, sending nothing Harrier-specific.
/// </summary>
public sealed class StrictClientTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task StrictClient_AppsDeploymentsTasksQueueInfoGroupsEvents_EveryAnswerAndEventConstructs()
    {
        await using var api = await ApiHost.StartAsync();
        var client = new StrictMarathonClient(api.Client);
        var events = new ConcurrentQueue<object>();
        var failures = new ConcurrentQueue<Exception>();
        using var stop = new CancellationTokenSource();
        var reader = System.Threading.Tasks.Task.Run(async () =>
        {
            try
            {
                await foreach (var e in client.EventsAsync(stop.Token))
                {
                    events.Enqueue(e);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
            }
        });
        await Eventually.TrueAsync(() => events.OfType<StreamEvent>().Any() || !failures.IsEmpty, Wait, "the stream to attach");

        var info = await client.InfoAsync();
        Assert.Equal("marathon", info.Name);

        var created = await client.CreateAppAsync("""{"id":"/strict/web","cmd":"sleep 1000","instances":1,"cpus":0.1,"mem":8,"portDefinitions":[{"port":0}],"labels":{"team":"a"}}""");
        Assert.Equal("/strict/web", created.App.Id);
        await client.CreateAppAsync("""{"id":"/strict/stuck","cmd":"sleep 1000","instances":1,"cpus":0.1,"mem":8,"constraints":[["hostname","LIKE","nowhere"]]}""");
        await Eventually.TrueAsync(async () => (await client.AppTasksAsync("/strict/web")).Tasks.Count(t => t.State == "TASK_RUNNING") == 1, Wait, "web running");
        await client.UpdateAppAsync("/strict/web", """{"instances":2}""");
        await Eventually.TrueAsync(async () => (await client.AppAsync("/strict/web", "?embed=app.counts")).App.TasksRunning == 2, Wait, "web scaled to 2");

        var apps = await client.AppsAsync("?embed=apps.tasks&embed=apps.counts&embed=apps.deployments&embed=apps.lastTaskFailure&embed=apps.taskStats&embed=apps.readiness");
        Assert.Equal(["/strict/stuck", "/strict/web"], apps.Apps.Select(a => a.Id).Order(StringComparer.Ordinal));
        Assert.Equal(2, (await client.TasksAsync()).Tasks.Length);
        var deployments = await Eventually.WaitAsync(async () =>
        {
            var all = await client.DeploymentsAsync();
            return all.Length == 1 && all[0].CurrentActions.Length > 0 ? all : null;
        }, Wait, "the stuck deployment");
        Assert.Equal(["/strict/stuck"], deployments[0].AffectedApps);
        var queue = await Eventually.WaitAsync(async () => (await client.QueueAsync()) is { Queue.Length: 1 } q ? q : null, Wait, "the queued app");
        Assert.Equal("/strict/stuck", queue.Queue[0].App.Id);
        var root = await client.GroupAsync();
        Assert.Equal("/strict", Assert.Single(root.Groups!).Id);
        Assert.Equal(2, (await client.GroupAsync("/strict")).Apps!.Length);

        var killed = await client.KillTaskAsync("/strict/web", (await client.AppTasksAsync("/strict/web")).Tasks[0].Id);
        Assert.Equal("/strict/web", killed.Task.AppId);
        await client.RollBackAsync(deployments[0].Id);
        await client.DeleteAppAsync("/strict/web");
        await Eventually.TrueAsync(() => events.OfType<AppTerminatedEvent>().Any(e => e.AppId == "/strict/web") || !failures.IsEmpty, Wait, "web's app_terminated_event");
        await stop.CancelAsync();
        await reader;

        Assert.True(failures.IsEmpty, string.Join("\n", failures.Select(f => f.Message)));
        var step = events.OfType<DeploymentStepEvent>().First(e => e.Plan.Target.Groups.Any(g => g.Id == "/strict"));
        Assert.Contains(step.Plan.Target.Groups.Single(g => g.Id == "/strict").Apps!, a => a.Id == "/strict/web");
        Assert.Contains(events, e => e is DeploymentEndEvent { EventType: "deployment_success" });
        Assert.Contains(events, e => e is DeploymentEndEvent { EventType: "deployment_failed" });
        Assert.Contains(events, e => e is StatusUpdateEvent { TaskStatus: "TASK_RUNNING" });
        Assert.Contains(events, e => e is InstanceChangedEvent);
        Assert.Contains(events, e => e is ApiPostEvent);
    }

    [Fact]
    public async Task StrictClient_GroupCreateUpdateScaleRollbackDelete_EveryAnswerAndEventConstructs()
    {
        await using var api = await ApiHost.StartAsync();
        var client = new StrictMarathonClient(api.Client);
        var events = new ConcurrentQueue<object>();
        var failures = new ConcurrentQueue<Exception>();
        using var stop = new CancellationTokenSource();
        var reader = System.Threading.Tasks.Task.Run(async () =>
        {
            try
            {
                await foreach (var e in client.EventsAsync(stop.Token))
                {
                    events.Enqueue(e);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
            }
        });
        await Eventually.TrueAsync(() => events.OfType<StreamEvent>().Any() || !failures.IsEmpty, Wait, "the stream to attach");
        const string App = "\"cmd\":\"sleep 1000\",\"cpus\":0.01,\"mem\":8,\"instances\":1";

        var created = await client.CreateGroupAsync($$"""{"id":"/shop","groups":[{"id":"db","apps":[{"id":"pg",{{App}}}]},{"id":"web","dependencies":["../db"],"apps":[{"id":"front",{{App}}}]}]}""");
        await Eventually.TrueAsync(async () => (await client.DeploymentsAsync()).Length == 0, Wait, "the group deployed");
        var updated = await client.UpdateGroupAsync("/shop/web", $$$"""{"apps":[{"id":"front",{{{App}}},"env":{"V":"2"}},{"id":"back",{{{App}}}}]}""");
        await Eventually.TrueAsync(async () => (await client.DeploymentsAsync()).Length == 0, Wait, "the update deployed");
        await client.UpdateGroupAsync("/shop", """{"scaleBy":2}""");
        await Eventually.TrueAsync(async () => (await client.DeploymentsAsync()).Length == 0, Wait, "the scale deployed");
        var shop = await client.GroupAsync("/shop?embed=group.groups&embed=group.apps&embed=group.apps.counts&embed=group.apps.tasks");
        Assert.Equal(["/shop/db", "/shop/web"], shop.Groups!.Select(g => g.Id));
        var versions = await client.GroupVersionsAsync("/shop");
        Assert.Contains(created.Version, versions);
        var then = await client.GroupVersionAsync("/shop", created.Version);
        Assert.Equal(["/shop/web/front"], then.Groups!.Single(g => g.Id == "/shop/web").Apps!.Select(a => a.Id));
        await client.UpdateGroupAsync("/shop", $$"""{"version":"{{created.Version}}"}""");
        await Eventually.TrueAsync(async () => (await client.DeploymentsAsync()).Length == 0, Wait, "the rollback deployed");
        await client.DeleteGroupAsync("/shop");
        // Five deployments: create, update, scale, rollback, delete.
        await Eventually.TrueAsync(() => events.OfType<DeploymentEndEvent>().Count(e => e.EventType == "deployment_success") == 5 || !failures.IsEmpty, Wait, "every deployment's deployment_success");
        await stop.CancelAsync();
        await reader;

        Assert.True(failures.IsEmpty, string.Join("\n", failures.Select(f => f.Message)));
        Assert.Empty((await client.GroupAsync()).Groups!);
        Assert.Contains(events, e => e is GroupChangeSuccessEvent { GroupId: "/" } g && g.Version == updated.Version);
        var step = events.OfType<DeploymentStepEvent>().First(e => e.Plan.Version == created.Version);
        var web = step.Plan.Target.Groups.Single(g => g.Id == "/shop").Groups!.Single(g => g.Id == "/shop/web");
        Assert.Equal(["/shop/db"], web.Dependencies!);
        Assert.Contains(events, e => e is AppTerminatedEvent { AppId: "/shop/web/back" });
    }
}
