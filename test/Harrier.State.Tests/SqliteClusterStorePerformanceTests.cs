using System.Diagnostics;
using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Time;
using Xunit;

namespace Harrier.State.Tests;

/// <summary>
/// Commit and load costs at the sizes the brief names. The figures are printed; the asserted bounds are several times
/// the targets (single commit 5 ms, 1,000-record commit 100 ms, load of 3,000 instances + 1,000 apps 500 ms) because
/// the test machine is shared and fsync times vary; a regression of an order of magnitude still fails.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class SqliteClusterStorePerformanceTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CommitAndLoad_AtClusterScale_StayWithinBudget()
    {
        await using var store = await SqliteClusterStore.OpenAsync(new StateOptions { DataDir = _dir.Path }, Ct);
        var apps = Enumerable.Range(0, 1000).Select(i => TypicalApp($"/prod/team{i % 20}/app{i}")).ToArray();
        var instances = Enumerable.Range(0, 3000).Select(i => TypicalInstance(i, apps[i % apps.Length].Id)).ToArray();
        // Warm up every code path (JIT, serializer metadata, statement caches): the budgets are for a running server.
        await store.CommitAsync(new StateChange { PutApps = [.. apps[..10]], PutInstances = [.. instances[..10]] }, Ct);
        await store.LoadAsync(Ct);

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var bulk = Stopwatch.StartNew();
        await store.CommitAsync(new StateChange { PutApps = [.. apps] }, Ct);
        var bulkApps = bulk.Elapsed;
        var bulkAppsCpu = Cpu(ref cpu);
        bulk.Restart();
        await store.CommitAsync(new StateChange { PutInstances = [.. instances[..1000]] }, Ct);
        var bulkInstances = bulk.Elapsed;
        var bulkInstancesCpu = Cpu(ref cpu);
        await store.CommitAsync(new StateChange { PutInstances = [.. instances[1000..]] }, Ct);

        var single = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var change = new StateChange { PutInstances = [instances[i] with { Condition = Condition.Running, Since = new Timestamp(i) }] };
            var watch = Stopwatch.StartNew();
            await store.CommitAsync(change, Ct);
            single.Add(watch.Elapsed.TotalMilliseconds);
        }
        single.Sort();

        Cpu(ref cpu);
        var load = Stopwatch.StartNew();
        var data = await store.LoadAsync(Ct);
        var loadTime = load.Elapsed;
        var loadCpu = Cpu(ref cpu);
        Assert.Equal(1000, data.Apps.Length);
        Assert.Equal(3000, data.Instances.Length);

        output.WriteLine($"commit 1 instance: median {single[100]:0.00} ms, p95 {single[190]:0.00} ms, max {single[^1]:0.00} ms");
        output.WriteLine($"commit 1,000 apps (with versions): {bulkApps.TotalMilliseconds:0.0} ms wall, {bulkAppsCpu:0.0} ms cpu");
        output.WriteLine($"commit 1,000 instances: {bulkInstances.TotalMilliseconds:0.0} ms wall, {bulkInstancesCpu:0.0} ms cpu");
        output.WriteLine($"load 1,000 apps + 3,000 instances: {loadTime.TotalMilliseconds:0.0} ms wall, {loadCpu:0.0} ms cpu");
        output.WriteLine($"load average now: {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a")}");
        Assert.True(single[100] < 25, $"median single commit {single[100]:0.00} ms");
        Assert.True(bulkInstances.TotalMilliseconds < 1000, $"1,000-instance commit {bulkInstances.TotalMilliseconds:0} ms");
        Assert.True(loadTime.TotalMilliseconds < 2500, $"load {loadTime.TotalMilliseconds:0} ms");
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>CPU time of this process since <paramref name="since"/>, in ms; unlike wall time it is not inflated by a busy machine.</summary>
    private static double Cpu(ref TimeSpan since)
    {
        var now = Process.GetCurrentProcess().TotalProcessorTime;
        var spent = (now - since).TotalMilliseconds;
        since = now;
        return spent;
    }

    private static AppSpec TypicalApp(string id) => TestData.App(id, version: 1_700_000_000_000) with
    {
        Instances = 3,
        Labels = new ValueMap<string>([KeyValuePair.Create("HAPROXY_GROUP", "external"), KeyValuePair.Create("team", "payments")]),
        Env = new ValueMap<EnvValue>([KeyValuePair.Create("PORT_NAME", EnvValue.Of("http")), KeyValuePair.Create("DB", new EnvValue(null, "db-secret"))]),
        Container = new ContainerSpec
        {
            Docker = new DockerSpec { Image = "registry.local/payments/api:1.2.3" },
            PortMappings = new[] { new PortMapping(8080, 0, 10000, "tcp", "http") },
        },
        Networks = new[] { new NetworkSpec(NetworkMode.ContainerBridge) },
        HealthChecks = new[] { new HealthCheckSpec { Path = "/health", PortIndex = 0 } },
        Constraints = new[] { new ConstraintSpec("hostname", "UNIQUE") },
    };

    private static Instance TypicalInstance(int i, PathId app) => TestData.Instance($"{app.SafePath}.instance-{i:D8}-0000-0000-0000-000000000000", app.Value) with
    {
        AgentId = new AgentId($"agent-{i % 50}"),
        Host = $"10.0.{i % 50}.1",
        Incarnation = 1,
        HostPorts = new[] { 31000 + (i % 1000) },
        Healthy = true,
        Condition = Condition.Running,
    };
}
