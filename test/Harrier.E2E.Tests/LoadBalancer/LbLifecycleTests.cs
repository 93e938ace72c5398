using System.Net;
using System.Text.Json.Nodes;
using Harrier.E2E.Tests.Health;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests.LoadBalancer;

/// <summary>The balancer's faults: kill -9 and adoption, the server gone, a config HAProxy refuses.</summary>
public sealed class LbLifecycleTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    private static string? Skip() => Requirements.Binary("haproxy");

    [Fact]
    public async Task Lb_KilledHard_HaproxyKeepsServingAndTheRestartAdoptsIt()
    {
        var skips = Skip();
        Assert.SkipWhen(skips is not null, skips ?? "");
        await using var dev = await HarrierDev.StartAsync();
        await using var lb = await LbProcess.StartAsync(dev.Url, "--health-check");
        var port = LbProcess.FreePort();
        await LbApps.CreateAsync(dev, LbApps.App("/adopt", 1, "a", port));
        var tasks = await AppTasks.WaitHealthyAsync(dev, "/adopt", 1);
        await LbApps.WaitServedByAsync(lb, port, LbApps.Ids(tasks), Wait);
        var master = lb.HaproxyMasterPid!.Value;

        await lb.KillHardAsync();
        // HAProxy serves on without its balancer.
        await LbApps.WaitServedByAsync(lb, port, LbApps.Ids(tasks), TimeSpan.FromSeconds(5));
        // A change made while the balancer is down is caught up after the restart.
        var (status, _, _) = await dev.SendAsync(HttpMethod.Put, "/v2/apps/adopt", TestAppDefinition.Update(new JsonObject { ["instances"] = 2 }));
        Assert.Equal(HttpStatusCode.OK, status);
        var two = await AppTasks.WaitHealthyAsync(dev, "/adopt", 2);

        await lb.StartProcessAsync();
        Assert.Equal(master, lb.HaproxyMasterPid);
        Assert.Single(HaproxyMasters(lb.WorkDir));
        await LbApps.WaitServedByAsync(lb, port, LbApps.Ids(two), Wait);
    }

    [Fact]
    public async Task Lb_ServerUnreachable_KeepsTheLastStateAndCatchesUpWhenItReturns()
    {
        var skips = Skip();
        Assert.SkipWhen(skips is not null, skips ?? "");
        await using var dev = await HarrierDev.StartAsync();
        await using var lb = await LbProcess.StartAsync(dev.Url, "--health-check", "--max-backoff", "2");
        var port = LbProcess.FreePort();
        await LbApps.CreateAsync(dev, LbApps.App("/gone", 1, "g", port));
        var tasks = await AppTasks.WaitHealthyAsync(dev, "/gone", 1);
        await LbApps.WaitServedByAsync(lb, port, LbApps.Ids(tasks), Wait);

        await dev.KillHardAsync();
        // The server is gone (tasks survive it): the balancer keeps the last state and keeps serving.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await LbApps.WaitServedByAsync(lb, port, LbApps.Ids(tasks), TimeSpan.FromSeconds(5));
        Assert.NotNull((await LbRoutingTests.HealthAsync(lb))["readError"]);

        await dev.StartProcessAsync();
        var (status, _, _) = await dev.SendAsync(HttpMethod.Put, "/v2/apps/gone", TestAppDefinition.Update(new JsonObject { ["instances"] = 2 }));
        Assert.Equal(HttpStatusCode.OK, status);
        var two = await AppTasks.WaitHealthyAsync(dev, "/gone", 2);
        await LbApps.WaitServedByAsync(lb, port, LbApps.Ids(two), Wait);
    }

    [Fact]
    public async Task Lb_ConfigHaproxyRefuses_PreviousKeepsServingAndTheErrorIsReported()
    {
        var skips = Skip();
        Assert.SkipWhen(skips is not null, skips ?? "");
        await using var dev = await HarrierDev.StartAsync();
        await using var lb = await LbProcess.StartAsync(dev.Url, "--health-check");
        var port = LbProcess.FreePort();
        await LbApps.CreateAsync(dev, LbApps.App("/good", 1, "good", port));
        var tasks = await AppTasks.WaitHealthyAsync(dev, "/good", 1);
        await LbApps.WaitServedByAsync(lb, port, LbApps.Ids(tasks), Wait);

        // A bind option HAProxy does not know makes the whole config invalid.
        var badPort = LbProcess.FreePort();
        await LbApps.CreateAsync(dev, LbApps.App("/bad", 1, "bad", badPort, ("HAPROXY_0_BIND_OPTIONS", "no-such-bind-option")));
        await AppTasks.WaitHealthyAsync(dev, "/bad", 1);
        await Eventually.TrueAsync(async () => (await LbRoutingTests.HealthAsync(lb))["configError"] is not null, Wait, "the refused config reported");
        Assert.Contains("no-such-bind-option", (await LbRoutingTests.HealthAsync(lb))["configError"]!.GetValue<string>(), StringComparison.Ordinal);
        await LbApps.WaitServedByAsync(lb, port, LbApps.Ids(tasks), TimeSpan.FromSeconds(5));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => lb.GetAsync(badPort));
        Assert.DoesNotContain("no-such-bind-option", await lb.Http.GetStringAsync(new Uri(lb.StatsUrl, "_haproxy_getconfig")), StringComparison.Ordinal);

        // Fixing the app makes the next config good again.
        var (status, _, _) = await dev.SendAsync(HttpMethod.Delete, "/v2/apps/bad");
        Assert.Equal(HttpStatusCode.OK, status);
        await Eventually.TrueAsync(async () => (await LbRoutingTests.HealthAsync(lb))["configError"] is null, Wait, "the error cleared");
    }

    /// <summary>HAProxy masters (processes whose command line names this work directory's config and are not workers).</summary>
    internal static IReadOnlyList<int> HaproxyMasters(string workDir)
    {
        var masters = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                var status = File.ReadAllText(Path.Combine(dir, "status"));
                var ppid = status.Split('\n').First(l => l.StartsWith("PPid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1].Trim();
                var parentCmd = File.Exists($"/proc/{ppid}/cmdline") ? File.ReadAllText($"/proc/{ppid}/cmdline") : "";
                if (cmdline.Contains("haproxy", StringComparison.Ordinal) && cmdline.Contains(workDir, StringComparison.Ordinal) && !parentCmd.Contains(workDir, StringComparison.Ordinal))
                {
                    masters.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile.
            }
        }
        return masters;
    }
}
