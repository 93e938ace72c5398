using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Harrier.E2E.Tests.Health;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests.LoadBalancer;

/// <summary>
/// Blue/green with <c>harrier lb zdd</c> end to end: a real <c>harrier dev</c>, a real <c>harrier lb --health-check</c>
/// and its HAProxy, test-app tasks on loopback. The first zdd run creates the blue colour; the second, under wrk load
/// on the app's service port, starts green, shifts the traffic as green turns healthy, kills the blue tasks once the
/// balancer drained them and deletes blue — and not one request fails.
/// </summary>
public sealed class LbZddTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Zdd_BlueThenGreenUnderWrk_TrafficShiftsWithNoFailedRequest()
    {
        var missing = Requirements.Binary("haproxy") ?? Requirements.Binary("wrk");
        Assert.SkipWhen(missing is not null, missing ?? "");
        var dir = Directory.CreateTempSubdirectory("harrier-zdd-");
        try
        {
            await using var dev = await HarrierDev.StartAsync();
            await using var lb = await LbProcess.StartAsync(dev.Url, "--health-check");
            var port = LbProcess.FreePort();
            var alt = LbProcess.FreePort();

            // v1: zdd creates /bg-blue on the service port.
            var blue = await ZddAsync(dev, lb, dir.FullName, App(port, alt, "v1"));
            Assert.True(blue.Code == 0, $"zdd v1 exited {blue.Code}:\n{blue.Output}");
            var blueTasks = await AppTasks.WaitHealthyAsync(dev, "/bg-blue", 3, Wait);
            await LbApps.WaitServedByAsync(lb, port, LbApps.Ids(blueTasks), Wait);
            Assert.All(await VersionsAsync(lb, port, 20), v => Assert.Equal("v1", v));

            // v2 under load: green replaces blue.
            using var stopLoad = new CancellationTokenSource();
            var load = Wrk.RunAsync($"http://127.0.0.1:{port}/version", TimeSpan.FromSeconds(240), stop: stopLoad.Token);
            using var stopSampling = new CancellationTokenSource();
            var sampled = SampleVersionsAsync(lb, port, stopSampling.Token);
            var green = await ZddAsync(dev, lb, dir.FullName, App(port, alt, "v2"));
            await stopSampling.CancelAsync();
            await stopLoad.CancelAsync();
            var result = await load;
            var seen = await sampled;
            Assert.True(green.Code == 0, $"zdd v2 exited {green.Code}:\n{green.Output}\nlb output:\n{lb.Output}");
            Assert.True(result.Requests > 500, $"wrk made too few requests to mean anything: {result.Output}");
            Assert.True(result.Non2xx == 0 && result.SocketErrors == 0, $"failed requests during the blue/green swap: {result.Output}\nzdd:\n{green.Output}\nlb output:\n{lb.Output}");
            Assert.True(seen.Contains("v1") && seen.Contains("v2") && seen.All(v => v is "v1" or "v2"),
                $"answers during the swap: {string.Join(",", seen)} (expected v1 then v2, nothing else)");

            // After: only green is left and serves every request.
            var apps = (await dev.GetJsonAsync("/v2/apps"))["apps"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()).ToArray();
            Assert.Equal(["/bg-green"], apps);
            // zdd's scaling kept the user's definition (a bare {"instances": N} clears resourceLimits and restarts the tasks).
            Assert.Equal("""{"cpus":"unlimited"}""", (await dev.GetJsonAsync("/v2/apps/bg-green"))["app"]!["resourceLimits"]?.ToJsonString());
            var greenTasks = await AppTasks.WaitHealthyAsync(dev, "/bg-green", 3, Wait);
            await LbApps.WaitServedByAsync(lb, port, LbApps.Ids(greenTasks), Wait, requests: 20);
            Assert.All(await VersionsAsync(lb, port, 20), v => Assert.Equal("v2", v));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Three test-app tasks in deployment group <c>bg</c> on a fixed service port, HTTP-checked every second.</summary>
    private static JsonObject App(int port, int alt, string version)
    {
        var app = TestAppDefinition.App("/bg", 3, version);
        app["portDefinitions"] = new JsonArray(new JsonObject { ["port"] = port, ["name"] = "http" });
        app["labels"] = new JsonObject
        {
            ["HAPROXY_GROUP"] = "external",
            ["HAPROXY_DEPLOYMENT_GROUP"] = "bg",
            ["HAPROXY_DEPLOYMENT_ALT_PORT"] = alt.ToString(CultureInfo.InvariantCulture),
        };
        app["healthChecks"] = new JsonArray(TestAppDefinition.HttpCheck(intervalSeconds: 1, graceSeconds: 10, maxFailures: 2));
        return app;
    }

    /// <summary>Runs <c>harrier lb zdd APP.json</c> against the server and the balancer's stats port, bounded to 3 minutes.</summary>
    private static async Task<(int Code, string Output)> ZddAsync(HarrierDev dev, LbProcess lb, string dir, JsonObject app)
    {
        var file = Path.Combine(dir, "app.json");
        await File.WriteAllTextAsync(file, app.ToJsonString());
        var psi = new ProcessStartInfo(HarrierDev.Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "lb", "zdd", file, "--server", dev.Url.ToString(), "--marathon-lb", lb.StatsUrl.ToString().TrimEnd('/'), "--force", "--step-delay", "1", "--max-wait", "120" })
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await p.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
            return (-1, "timed out after 3 minutes:\n" + await stdout + await stderr);
        }
        return (p.ExitCode, await stdout + await stderr);
    }

    private static async Task<string[]> VersionsAsync(LbProcess lb, int port, int count)
    {
        var versions = new string[count];
        for (var i = 0; i < count; i++)
        {
            var (status, body) = await lb.GetAsync(port, "/version");
            versions[i] = status == HttpStatusCode.OK ? body.Trim() : $"HTTP {(int)status}";
        }
        return versions;
    }

    /// <summary>The distinct answers of <c>/version</c> through the balancer, in the order they first appeared, until stopped.</summary>
    private static async Task<IReadOnlyList<string>> SampleVersionsAsync(LbProcess lb, int port, CancellationToken stop)
    {
        var seen = new List<string>();
        while (!stop.IsCancellationRequested)
        {
            string answer;
            try
            {
                var (status, body) = await lb.GetAsync(port, "/version");
                answer = status == HttpStatusCode.OK ? body.Trim() : $"HTTP {(int)status}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                answer = e.Message;
            }
            if (!seen.Contains(answer))
            {
                seen.Add(answer);
            }
            try
            {
                await Task.Delay(50, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return seen;
    }
}
