using System.Net;
using System.Text.Json.Nodes;
using Harrier.E2E.Tests.Health;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests.LoadBalancer;

/// <summary>
/// The promise of <c>harrier lb</c>: scale up, scale down, restart and kill an app behind it under steady load and no
/// request fails — servers change through HAProxy's runtime API, and the server kills a task only after the balancer
/// drained it.
/// </summary>
public sealed class LbChangesUnderLoadTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Lb_HundredScaleRestartAndKillChangesUnderWrk_NoFailedRequest()
    {
        var skips = Requirements.Binary("haproxy");
        Assert.SkipWhen(skips is not null, skips ?? "");
        var skipw = Requirements.Binary("wrk");
        Assert.SkipWhen(skipw is not null, skipw ?? "");
        await using var dev = await HarrierDev.StartAsync();
        await using var lb = await LbProcess.StartAsync(dev.Url, "--health-check");
        var port = LbProcess.FreePort();
        var app = LbApps.App("/steady", 3, "s", port);
        app["upgradeStrategy"] = TestAppDefinition.Strategy(1, 0.5);
        app["taskKillGracePeriodSeconds"] = 5;
        await LbApps.CreateAsync(dev, app);
        var tasks = await AppTasks.WaitHealthyAsync(dev, "/steady", 3);
        await LbApps.WaitServedByAsync(lb, port, LbApps.Ids(tasks), Wait);

        // 100 changes as a user makes them, each after the previous deployment finished: scale up, scale down, a
        // task killed with scale=true, and every tenth a rolling restart; the app stays between 2 and 5 instances.
        using var stopLoad = new CancellationTokenSource();
        var load = Wrk.RunAsync($"http://127.0.0.1:{port}/", TimeSpan.FromSeconds(300), stop: stopLoad.Token);
        var instances = 3;
        var changes = 0;
        var started = DateTime.UtcNow;
        for (var i = 0; i < 100; i++)
        {
            HttpStatusCode status;
            if (i % 10 == 9)
            {
                (status, _, _) = await dev.SendAsync(HttpMethod.Post, "/v2/apps/steady/restart");
            }
            else if (instances < 5 && (i % 2 == 0 || instances <= 2))
            {
                instances++;
                (status, _, _) = await dev.SendAsync(HttpMethod.Put, "/v2/apps/steady", TestAppDefinition.Update(new JsonObject { ["instances"] = instances }));
            }
            else if (i % 4 == 1)
            {
                instances--;
                (status, _, _) = await dev.SendAsync(HttpMethod.Put, "/v2/apps/steady", TestAppDefinition.Update(new JsonObject { ["instances"] = instances }));
            }
            else
            {
                var running = (await AppTasks.ListAsync(dev, "/steady")).Where(t => t!["state"]!.GetValue<string>() == "TASK_RUNNING").ToList();
                instances--;
                (status, _, _) = await dev.SendAsync(HttpMethod.Delete, $"/v2/apps/steady/tasks/{AppTasks.Id(running[i % running.Count]!)}?scale=true");
            }
            Assert.True(status == HttpStatusCode.OK, $"change {i} answered {(int)status}");
            changes++;
            await Eventually.TrueAsync(async () => !await AppTasks.HasDeploymentAsync(dev, "/steady"), Wait, $"change {i} to finish");
        }
        var elapsed = DateTime.UtcNow - started;
        await stopLoad.CancelAsync();
        var result = await load;
        Assert.Equal(100, changes);
        Assert.True(elapsed < TimeSpan.FromSeconds(280), $"the changes outlasted the load: {elapsed}");
        Assert.True(result.Requests > 1000, $"wrk made too few requests to mean anything: {result.Output}");
        Assert.True(result.Non2xx == 0 && result.SocketErrors == 0, $"failed requests during the changes: {result.Output}\nlb output:\n{lb.Output}");
        var final = await AppTasks.WaitHealthyAsync(dev, "/steady", instances, Wait);
        await LbApps.WaitServedByAsync(lb, port, LbApps.Ids(final), Wait, requests: 30);
    }

    [Fact]
    public async Task Lb_ScaleDown_KillWaitsForTheBalancersDrainAndItIsRegistered()
    {
        var skips = Requirements.Binary("haproxy");
        Assert.SkipWhen(skips is not null, skips ?? "");
        await using var dev = await HarrierDev.StartAsync();
        await using var lb = await LbProcess.StartAsync(dev.Url, "--health-check", "--balancer-id", "e2e-lb");
        var port = LbProcess.FreePort();
        await LbApps.CreateAsync(dev, LbApps.App("/drained", 2, "d", port));
        var tasks = await AppTasks.WaitHealthyAsync(dev, "/drained", 2);
        await LbApps.WaitServedByAsync(lb, port, LbApps.Ids(tasks), Wait);
        await Eventually.TrueAsync(async () =>
            (await dev.GetJsonAsync("/harrier/v1/balancers"))["balancers"]!.AsArray().Any(b => b!["id"]!.GetValue<string>() == "e2e-lb"),
            TimeSpan.FromSeconds(15), "the balancer registered");

        var (status, _, _) = await dev.SendAsync(HttpMethod.Put, "/v2/apps/drained", TestAppDefinition.Update(new JsonObject { ["instances"] = 1 }));
        Assert.Equal(HttpStatusCode.OK, status);
        var one = await AppTasks.WaitHealthyAsync(dev, "/drained", 1);
        Assert.True(await DrainsConfirmedAsync(lb) >= 1, "the kill should have waited for this balancer's confirmation; lb output:\n" + lb.Output);
        await LbApps.WaitServedByAsync(lb, port, LbApps.Ids(one), Wait);
    }

    private static async Task<double> DrainsConfirmedAsync(LbProcess lb)
    {
        var metrics = await lb.Http.GetStringAsync(new Uri(lb.ControlUrl, "metrics"));
        var line = metrics.Split('\n').First(l => l.StartsWith("harrier_lb_drains_confirmed_total ", StringComparison.Ordinal));
        return double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
