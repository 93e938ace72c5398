using Harrier.Testing;
using Xunit;

namespace Harrier.Api.Tests.Endpoints;

public sealed class TasksAndDeploymentsTests
{
    [Fact]
    public async Task Tasks_StatusFilterAndDeleteWithScale()
    {
        await using var api = await ApiHost.StartAsync();
        await api.SendAsync("POST", "/v2/apps", """{"id":"/t","cmd":"sleep 1000","instances":3,"cpus":0.1,"mem":8}""");
        await api.WaitForRunningAsync("/t", 3);
        var tasks = (await api.GetAsync("/v2/tasks?status=running"))["tasks"]!.AsArray();
        Assert.Equal(3, tasks.Count);
        Assert.All(tasks, t => Assert.Equal([10000], t!["servicePorts"]!.AsArray().Select(p => p!.GetValue<int>())));
        Assert.Empty((await api.GetAsync("/v2/tasks?status=staging"))["tasks"]!.AsArray());

        var ids = tasks.Take(2).Select(t => t!["id"]!.GetValue<string>()).ToList();
        var delete = await api.SendAsync("POST", "/v2/tasks/delete?scale=true", $$"""{"ids":["{{ids[0]}}","{{ids[1]}}"]}""");
        Assert.Equal(200, delete.Status);
        Assert.NotNull(delete.Body!["deploymentId"]);
        await api.WaitForRunningAsync("/t", 1);
        Assert.Equal(1, (await api.GetAsync("/v2/apps/t"))["app"]!["instances"]!.GetValue<int>());
        var remaining = (await api.GetAsync("/v2/apps/t/tasks"))["tasks"]!.AsArray().Single()!["id"]!.GetValue<string>();
        Assert.DoesNotContain(remaining, ids);

        var invalid = await api.SendAsync("POST", "/v2/tasks/delete", """{"ids":["not-a-task"]}""");
        Assert.Equal(400, invalid.Status);
        Assert.StartsWith("Invalid task id 'not-a-task'.", invalid.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var both = await api.SendAsync("DELETE", "/v2/apps/t/tasks?scale=true&wipe=true");
        Assert.Equal(400, both.Status);
        Assert.Equal("You cannot use scale and wipe at the same time.", both.Body!["message"]!.GetValue<string>());
        var unknown = await api.SendAsync("DELETE", "/v2/apps/t/tasks/t.instance-00000000-0000-0000-0000-000000000000._app.1");
        Assert.Equal(404, unknown.Status);
        Assert.Equal("Task 't.instance-00000000-0000-0000-0000-000000000000._app.1' does not exist", unknown.Body!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deployments_ListWhileWaiting_ForceCancelAndRollback()
    {
        // Only 2 host ports on the agent: 3 instances of a one-port app can never all launch, so the deployment waits.
        await using var api = await ApiHost.StartAsync(agentPortsEnd: 31001);
        var post = await api.SendAsync("POST", "/v2/apps", """{"id":"/stuck","cmd":"sleep 1000","instances":3,"cpus":0.1,"mem":8}""");
        var deploymentId = post.Response.Headers.GetValues("Marathon-Deployment-Id").Single();
        var deployments = await Eventually.WaitAsync(async () =>
        {
            var list = (await api.GetAsync("/v2/deployments")).AsArray();
            return list.Count == 1 && list[0]!["currentStep"]!.GetValue<int>() == 2 ? list : null;
        }, TimeSpan.FromSeconds(10), "the deployment at its scale step");
        var plan = deployments[0]!;
        Assert.Equal(deploymentId, plan["id"]!.GetValue<string>());
        Assert.Equal(["/stuck"], plan["affectedApps"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(2, plan["totalSteps"]!.GetValue<int>());
        Assert.Equal("ScaleApplication", plan["currentActions"]![0]!["action"]!.GetValue<string>());

        var queue = await Eventually.WaitAsync(async () =>
        {
            var q = (await api.GetHarrierAsync("/v2/queue"))["queue"]!.AsArray();
            return q.Count == 1 && q[0]!["processedOffersSummary"]!["unusedOffersCount"]!.GetValue<int>() > 0 && q[0]!["reason"] is not null ? q[0] : null;
        }, TimeSpan.FromSeconds(10), "the queue entry with unused offers");
        Assert.Equal(1, queue["count"]!.GetValue<int>());
        Assert.True(queue["delay"]!["overdue"]!.GetValue<bool>());
        var ports = queue["processedOffersSummary"]!["rejectSummaryLastOffers"]!.AsArray().Single(r => r!["reason"]!.GetValue<string>() == "InsufficientPorts");
        Assert.True(ports!["declined"]!.GetValue<int>() > 0);
        var queueReason = queue["reason"]!;
        Assert.Equal("InsufficientResources", queueReason["type"]!.GetValue<string>());
        Assert.Equal("ports", queueReason["resources"]!.GetValue<string>());
        Assert.True(queueReason["forSeconds"]!.GetValue<double>() >= 0);
        var actionReason = await Eventually.WaitAsync(
            async () => (await api.GetHarrierAsync("/v2/deployments")).AsArray()[0]!["currentActions"]![0]!["reason"] is { } r
                && r["type"]!.GetValue<string>() == "CannotComplete" ? r : null,
            TimeSpan.FromSeconds(10),
            "the deployment action's CannotComplete reason");
        // Three instances need three ports and the agent has two: the scale can never finish, and says so.
        Assert.Equal("scaling /stuck to 3 needs 3 slots, the cluster can hold 2", actionReason["why"]!.GetValue<string>());

        var locked = await api.SendAsync("PUT", "/v2/apps/stuck", """{"instances":2}""");
        Assert.Equal(409, locked.Status);
        Assert.Equal(deploymentId, locked.Body!["deployments"]![0]!["id"]!.GetValue<string>());

        var rollback = await api.SendAsync("DELETE", $"/v2/deployments/{deploymentId}");
        Assert.Equal(200, rollback.Status);
        await Eventually.TrueAsync(async () => (await api.SendAsync("GET", "/v2/apps/stuck")).Status == 404, TimeSpan.FromSeconds(10), "the rollback to remove the new app");
        await Eventually.TrueAsync(async () => (await api.GetAsync("/v2/deployments")).AsArray().Count == 0, TimeSpan.FromSeconds(10), "the rollback deployment to finish");

        var again = await api.SendAsync("POST", "/v2/apps", """{"id":"/stuck2","cmd":"sleep 1000","instances":3,"cpus":0.1,"mem":8}""");
        var id2 = again.Response.Headers.GetValues("Marathon-Deployment-Id").Single();
        var cancel = await api.SendAsync("DELETE", $"/v2/deployments/{id2}?force=true");
        Assert.Equal(202, cancel.Status);
        Assert.DoesNotContain((await api.GetAsync("/v2/deployments")).AsArray(), d => d!["id"]!.GetValue<string>() == id2);
        Assert.Equal(3, (await api.GetAsync("/v2/apps/stuck2"))["app"]!["instances"]!.GetValue<int>());
        var missing = await api.SendAsync("DELETE", "/v2/deployments/nope");
        Assert.Equal(404, missing.Status);
        Assert.Equal("DeploymentPlan nope does not exist", missing.Body!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task TasksDeleteWithScale_TwoApps_OneDeploymentScalesBoth_LockIs409()
    {
        await using var api = await ApiHost.StartAsync();
        await api.SendAsync("POST", "/v2/apps", """{"id":"/p","cmd":"sleep 1000","instances":2,"cpus":0.1,"mem":8}""");
        await api.SendAsync("POST", "/v2/apps", """{"id":"/q","cmd":"sleep 1000","instances":2,"cpus":0.1,"mem":8}""");
        await api.WaitForRunningAsync("/p", 2);
        await api.WaitForRunningAsync("/q", 2);
        var p = (await api.GetAsync("/v2/apps/p/tasks"))["tasks"]![0]!["id"]!.GetValue<string>();
        var q = (await api.GetAsync("/v2/apps/q/tasks"))["tasks"]![0]!["id"]!.GetValue<string>();

        var (status, body, response) = await api.SendAsync("POST", "/v2/tasks/delete?scale=true", $$"""{"ids":["{{p}}","{{q}}"]}""");
        Assert.Equal(200, status);
        Assert.Equal(response.Headers.GetValues("Marathon-Deployment-Id").Single(), body!["deploymentId"]!.GetValue<string>());
        await api.WaitForRunningAsync("/p", 1);
        await api.WaitForRunningAsync("/q", 1);

        // Lock /q behind a deployment that cannot finish (its new instances need more memory than the agent has).
        await api.SendAsync("PUT", "/v2/apps/q", """{"instances":3,"mem":2000}""");
        var p2 = (await api.GetAsync("/v2/apps/p/tasks"))["tasks"]![0]!["id"]!.GetValue<string>();
        var q2 = (await api.GetAsync("/v2/apps/q/tasks"))["tasks"]![0]!["id"]!.GetValue<string>();
        var locked = await api.SendAsync("POST", "/v2/tasks/delete?scale=true", $$"""{"ids":["{{p2}}","{{q2}}"]}""");
        Assert.Equal(409, locked.Status);
        Assert.NotNull(locked.Body!["deployments"]);
        Assert.Equal(1, (await api.GetAsync("/v2/apps/p"))["app"]!["instances"]!.GetValue<int>());
    }
}
