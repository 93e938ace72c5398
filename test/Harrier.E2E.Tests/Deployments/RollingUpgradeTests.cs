using System.Net;
using System.Text.Json.Nodes;
using Harrier.E2E.Tests.Health;
using Xunit;

namespace Harrier.E2E.Tests.Deployments;

/// <summary>
/// Health-gated rolling upgrades (§9.4) of real test-app tasks, watched from outside: the number of tasks that answer
/// <c>/health</c> never drops below <c>ceil(N × minHC)</c>, and the number of the app's processes on the host never
/// exceeds <c>trunc(N × (1 + maxOC))</c> (+1 when the two are equal).
/// </summary>
public sealed class RollingUpgradeTests
{
    private const int N = 4;

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(1.0, 0.0)]
    [InlineData(0.5, 0.2)]
    [InlineData(0.0, 0.0)]
    [InlineData(1.0, 0.2)]
    public async Task Upgrade_UpgradeStrategy_HealthyFloorAndCapacityCeilingHold(double minHC, double maxOC)
    {
        var (minHealthy, maxCapacity) = Bounds(N, minHC, maxOC);
        await using var dev = await HarrierDev.StartAsync();
        var id = $"/rolling/s{(int)(minHC * 100)}-{(int)(maxOC * 100)}";
        var app = TestAppDefinition.App(id, N, "v1");
        app["healthChecks"] = new JsonArray(TestAppDefinition.HttpCheck(intervalSeconds: 1, graceSeconds: 10, maxFailures: 3));
        app["upgradeStrategy"] = TestAppDefinition.Strategy(minHC, maxOC);
        await HealthKillTests.CreateAsync(dev, app);
        await AppTasks.WaitHealthyAsync(dev, id, N, TimeSpan.FromSeconds(45));

        RolloutProbe probe;
        await using (probe = new RolloutProbe(dev, id))
        {
            var (status, body, _) = await dev.SendAsync(HttpMethod.Put, $"/v2/apps{id}", TestAppDefinition.Update(new JsonObject { ["cmd"] = TestAppDefinition.Cmd("v2") }));
            Assert.True(status == HttpStatusCode.OK, $"PUT -> {(int)status}: {body?.ToJsonString()}");
            Assert.NotNull(body!["deploymentId"]);
            try
            {
                await AppTasks.WaitAllVersionAsync(dev, id, N, "v2", TimeSpan.FromSeconds(50));
            }
            catch (TimeoutException e)
            {
                var deployments = (await AppTasks.DeploymentsAsync(dev)).ToJsonString();
                throw new TimeoutException($"{e.Message}; deployments: {deployments}; probe: {probe.Timeline()}", e);
            }
        }

        Assert.True(probe.Samples.Count > 5, $"too few samples: {probe.Samples.Count}");
        Assert.True(probe.MinHealthy >= minHealthy, $"healthy tasks dropped to {probe.MinHealthy} < {minHealthy}: {probe.Timeline()}");
        Assert.True(probe.MaxProcesses <= maxCapacity, $"{probe.MaxProcesses} processes > capacity {maxCapacity}: {probe.Timeline()}");
        await AppTasks.WaitHealthyAsync(dev, id, N);
        Assert.Equal(N, dev.HostTasks(id).Count);
    }

    [Theory]
    [InlineData(4, 1.0, 1.0, 4, 8)]
    [InlineData(4, 0.5, 0.0, 2, 4)]
    [InlineData(3, 1.0, 0.0, 3, 4)]
    [InlineData(4, 0.5, 0.2, 2, 4)]
    [InlineData(4, 1.0, 0.2, 4, 5)]
    [InlineData(1, 0.0, 0.0, 0, 1)]
    public void Bounds_WorkedExamples_MatchTheSpec(int n, double minHC, double maxOC, int minHealthy, int maxCapacity) =>
        Assert.Equal((minHealthy, maxCapacity), Bounds(n, minHC, maxOC));

    /// <summary>§9.4: <c>ceil(N × minHC)</c> and <c>trunc(N × (1 + maxOC))</c>, one more when they are equal.</summary>
    internal static (int MinHealthy, int MaxCapacity) Bounds(int n, double minHC, double maxOC)
    {
        var minHealthy = (int)Math.Ceiling(n * minHC);
        var maxCapacity = (int)(n * (1 + maxOC));
        return (minHealthy, minHealthy == maxCapacity ? maxCapacity + 1 : maxCapacity);
    }
}
