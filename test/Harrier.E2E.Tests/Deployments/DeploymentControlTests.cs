using System.Net;
using System.Text.Json.Nodes;
using Harrier.E2E.Tests.Events;
using Harrier.E2E.Tests.Health;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests.Deployments;

/// <summary>
/// Steering a running deployment (§2.4, §9.7): supersede with force, roll back, force-cancel, the 409 lock, dryRun, a
/// deployment that can never finish, and an in-place label change. A "stuck" rollout is a new version that answers
/// 503 on /health (and checks with maxConsecutiveFailures 0 never kill it), so the rollout waits for ever.
/// </summary>
public sealed class DeploymentControlTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task UpdateWithForce_DuringStuckRollout_SupersedesIt()
    {
        await using var dev = await HarrierDev.StartAsync();
        await using var events = await EventRecorder.StartAsync(dev);
        const string id = "/control/supersede";
        await CreateHealthyAsync(dev, id, 2, TestAppDefinition.Strategy(1, 0));
        var stuck = await UpdateAsync(dev, id, TestAppDefinition.Cmd("v2", "--unhealthy"));
        await Eventually.TrueAsync(async () => await VersionsAsync(dev, id) is var v && v.Contains("v2"), Wait, "a v2 task to start");

        var (locked, lockedBody, _) = await dev.SendAsync(HttpMethod.Put, $"/v2/apps{id}", Cmd(TestAppDefinition.Cmd("v3")));
        Assert.True(locked == HttpStatusCode.Conflict, $"PUT while locked -> {(int)locked}: {lockedBody?.ToJsonString()}");
        Assert.Contains(stuck, lockedBody!.ToJsonString(), StringComparison.Ordinal);

        var (status, body, _) = await dev.SendAsync(HttpMethod.Put, $"/v2/apps{id}?force=true", Cmd(TestAppDefinition.Cmd("v3")));
        Assert.True(status == HttpStatusCode.OK, $"PUT ?force=true -> {(int)status}: {body?.ToJsonString()}");
        var winner = body!["deploymentId"]!.GetValue<string>();
        Assert.NotEqual(stuck, winner);

        await AppTasks.WaitAllVersionAsync(dev, id, 2, "v3", Wait);
        Assert.DoesNotContain(await AppTasks.DeploymentsAsync(dev), d => d!["id"]!.GetValue<string>() == stuck);
        await events.WaitForAsync(e => EventRecorder.Type(e) == "deployment_failed" && EventRecorder.Str(e, "id") == stuck, Wait, "deployment_failed of the superseded deployment");
        await events.WaitForAsync(e => EventRecorder.Type(e) == "deployment_success" && EventRecorder.Str(e, "id") == winner, Wait, "deployment_success of the forced one");
    }

    [Fact]
    public async Task DeleteDeployment_StuckRollout_RollsBackToThePreviousVersion()
    {
        await using var dev = await HarrierDev.StartAsync();
        const string id = "/control/rollback";
        await CreateHealthyAsync(dev, id, 2, TestAppDefinition.Strategy(1, 0));
        var stuck = await UpdateAsync(dev, id, TestAppDefinition.Cmd("v2", "--unhealthy"));
        await Eventually.TrueAsync(async () => (await VersionsAsync(dev, id)).Contains("v2"), Wait, "a v2 task to start");

        var (status, body, _) = await dev.SendAsync(HttpMethod.Delete, $"/v2/deployments/{stuck}");
        Assert.True(status == HttpStatusCode.OK, $"DELETE deployment -> {(int)status}: {body?.ToJsonString()}");
        var rollback = body!["deploymentId"]!.GetValue<string>();
        Assert.NotEqual(stuck, rollback);
        Assert.NotNull(body["version"]);

        await AppTasks.WaitAllVersionAsync(dev, id, 2, "v1", Wait);
        Assert.Contains("--version-string v1", (await AppTasks.AppAsync(dev, id))["cmd"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await AppTasks.DeploymentsAsync(dev));
    }

    [Fact]
    public async Task DeleteDeploymentWithForce_MidRollout_StopsItAndLeavesTheMix()
    {
        await using var dev = await HarrierDev.StartAsync();
        const string id = "/control/cancel";
        // (0.5, 0) with N=2: one old instance goes at once and one new one starts; the new one never gets healthy.
        await CreateHealthyAsync(dev, id, 2, TestAppDefinition.Strategy(0.5, 0));
        var stuck = await UpdateAsync(dev, id, TestAppDefinition.Cmd("v2", "--unhealthy"));
        await Eventually.TrueAsync(async () => (await VersionsAsync(dev, id)) is ["v1", "v2"], Wait, "one v1 and one v2 task");

        var (status, body, _) = await dev.SendAsync(HttpMethod.Delete, $"/v2/deployments/{stuck}?force=true");
        Assert.True(status == HttpStatusCode.Accepted, $"DELETE ?force=true -> {(int)status}: {body?.ToJsonString()}");
        Assert.Empty(await AppTasks.DeploymentsAsync(dev));

        // Nothing converges afterwards: for 3 s the mix stays and no deployment appears.
        var until = DateTime.UtcNow.AddSeconds(3);
        while (DateTime.UtcNow < until)
        {
            Assert.Equal(["v1", "v2"], await VersionsAsync(dev, id));
            Assert.Empty(await AppTasks.DeploymentsAsync(dev));
            await Task.Delay(250);
        }
        Assert.Contains("--version-string v2", (await AppTasks.AppAsync(dev, id))["cmd"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateWithDryRun_CommandChange_AnswersThePlanAndChangesNothing()
    {
        await using var dev = await HarrierDev.StartAsync();
        const string id = "/control/dryrun";
        await HealthKillTests.CreateAsync(dev, TestAppDefinition.App(id, 2, "v1"));
        var before = (await dev.WaitForRunningAsync(id, 2)).Select(t => AppTasks.Id(t!)).ToHashSet();
        var versions = (await dev.GetJsonAsync($"/v2/apps{id}/versions"))["versions"]!.AsArray().Count;

        var (status, plan, _) = await dev.SendAsync(HttpMethod.Put, $"/v2/apps{id}?dryRun=true", Cmd(TestAppDefinition.Cmd("v2")));
        Assert.True(status == HttpStatusCode.OK, $"dryRun -> {(int)status}: {plan?.ToJsonString()}");
        Assert.Contains(plan!["steps"]!.AsArray(), s => s!["actions"]!.AsArray().Any(a => a!["action"]!.GetValue<string>() == "RestartApplication"));
        Assert.Empty(await AppTasks.DeploymentsAsync(dev));
        Assert.Contains("--version-string v1", (await AppTasks.AppAsync(dev, id))["cmd"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(versions, (await dev.GetJsonAsync($"/v2/apps{id}/versions"))["versions"]!.AsArray().Count);
        Assert.True(before.SetEquals((await dev.WaitForRunningAsync(id, 2)).Select(t => AppTasks.Id(t!))), "dryRun replaced tasks");

        var change = plan["changes"]?.AsArray().SingleOrDefault(c => c!["app"]!.GetValue<string>() == id);
        Assert.True(change is not null, $"the plan lists no change for {id}: {plan.ToJsonString()}");
        Assert.Equal("restart", change["class"]!.GetValue<string>());
        Assert.Contains("cmd", change["fields"]!.AsArray().Select(f => f!.GetValue<string>()));
    }

    [Fact]
    public async Task Upgrade_RoomForExactlyN_ListedAsCannotCompleteWithWhy()
    {
        // Three instances of 0.25 CPU fill the 0.75 CPUs exactly; (1, 0) needs one more to roll.
        await using var dev = await HarrierDev.StartAsync("--cpus", "0.75");
        const string id = "/control/full";
        var app = TestAppDefinition.App(id, 3, "v1");
        app["cpus"] = 0.25;
        app["healthChecks"] = new JsonArray(TestAppDefinition.HttpCheck(intervalSeconds: 1, graceSeconds: 30, maxFailures: 3));
        app["upgradeStrategy"] = TestAppDefinition.Strategy(1, 0);
        await HealthKillTests.CreateAsync(dev, app);
        await AppTasks.WaitHealthyAsync(dev, id, 3);
        var deployment = await UpdateAsync(dev, id, TestAppDefinition.Cmd("v2"));

        JsonNode? last = null;
        JsonNode reason;
        try
        {
            reason = await Eventually.WaitAsync(async () =>
            {
                var listed = (await AppTasks.DeploymentsAsync(dev)).SingleOrDefault(d => d!["id"]!.GetValue<string>() == deployment);
                last = listed;
                return listed?["currentActions"]!.AsArray().Select(a => a!["reason"]).FirstOrDefault(r => r?["type"]?.GetValue<string>() == "CannotComplete");
            }, Wait, $"deployment {deployment} to say CannotComplete", TimeSpan.FromMilliseconds(200));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; last listed: {last?.ToJsonString()}", e);
        }
        Assert.False(string.IsNullOrWhiteSpace(reason["message"]?.GetValue<string>()), $"no message: {reason.ToJsonString()}");
        Assert.NotNull(reason["since"]);
        Assert.Equal(["v1", "v1", "v1"], await VersionsAsync(dev, id));
    }

    [Fact]
    public async Task LabelsOnlyUpdate_InPlaceLabel_KeepsTaskIds()
    {
        await using var dev = await HarrierDev.StartAsync();
        const string id = "/control/inplace";
        var app = TestAppDefinition.App(id, 2, "v1");
        app["labels"] = new JsonObject { ["HARRIER_IN_PLACE_UPDATE"] = "true" };
        await HealthKillTests.CreateAsync(dev, app);
        var before = (await dev.WaitForRunningAsync(id, 2)).Select(t => AppTasks.Id(t!)).ToHashSet();
        var labels = TestAppDefinition.Update(new JsonObject { ["labels"] = new JsonObject { ["HARRIER_IN_PLACE_UPDATE"] = "true", ["team"] = "payments" } });

        var (dryStatus, plan, _) = await dev.SendAsync(HttpMethod.Put, $"/v2/apps{id}?dryRun=true", labels);
        Assert.Equal(HttpStatusCode.OK, dryStatus);

        var (status, body, _) = await dev.SendAsync(HttpMethod.Put, $"/v2/apps{id}", labels);
        Assert.True(status == HttpStatusCode.OK, $"PUT -> {(int)status}: {body?.ToJsonString()}");
        await Eventually.TrueAsync(async () => (await AppTasks.AppAsync(dev, id))["labels"]?["team"]?.GetValue<string>() == "payments", Wait, "the new label");
        var after = (await dev.WaitForRunningAsync(id, 2)).Select(t => AppTasks.Id(t!)).ToHashSet();
        Assert.True(before.SetEquals(after), $"task ids changed: {string.Join(",", before)} -> {string.Join(",", after)}");
        Assert.True(before.SetEquals(dev.HostTasks(id)), "the host processes changed");

        var change = plan!["changes"]?.AsArray().SingleOrDefault(c => c!["app"]!.GetValue<string>() == id);
        Assert.True(change is not null, $"the dryRun plan lists no change for {id}: {plan.ToJsonString()}");
        Assert.Equal("inPlace", change["class"]!.GetValue<string>());
        Assert.Contains("labels", change["fields"]!.AsArray().Select(f => f!.GetValue<string>()));
    }

    private static string Cmd(string cmd) => TestAppDefinition.Update(new JsonObject { ["cmd"] = cmd });

    private static async Task CreateHealthyAsync(HarrierDev dev, string id, int instances, JsonObject strategy)
    {
        var app = TestAppDefinition.App(id, instances, "v1");
        app["healthChecks"] = new JsonArray(TestAppDefinition.HttpCheck(intervalSeconds: 1, graceSeconds: 30, maxFailures: 0));
        app["upgradeStrategy"] = strategy;
        await HealthKillTests.CreateAsync(dev, app);
        await AppTasks.WaitHealthyAsync(dev, id, instances);
    }

    /// <summary>PUTs a new command and answers the deployment id.</summary>
    private static async Task<string> UpdateAsync(HarrierDev dev, string id, string cmd)
    {
        var (status, body, _) = await dev.SendAsync(HttpMethod.Put, $"/v2/apps{id}", Cmd(cmd));
        Assert.True(status == HttpStatusCode.OK, $"PUT -> {(int)status}: {body?.ToJsonString()}");
        return body!["deploymentId"]!.GetValue<string>();
    }

    /// <summary>The versions the app's tasks answer, sorted ("-" for a task that does not answer).</summary>
    private static async Task<string[]> VersionsAsync(HarrierDev dev, string id)
    {
        var answers = new List<string>();
        foreach (var task in await AppTasks.ListAsync(dev, id))
        {
            answers.Add(task!["ports"] is JsonArray { Count: > 0 } ? await AppTasks.VersionAsync(AppTasks.Port(task)) ?? "-" : "-");
        }
        return [.. answers.Order(StringComparer.Ordinal)];
    }
}
