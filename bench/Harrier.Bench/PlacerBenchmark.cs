using System.Diagnostics;
using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Harrier.Core.Time;
using Harrier.Scheduling;

namespace Harrier.Bench;

/// <summary>
/// <c>placer</c>: the pure placer alone, in process. <c>--agents</c> agents (64 cpus, rack <c>r{i%10}</c>, in shuffled
/// order, as agents register), <c>--apps</c> apps of <c>--instances</c> instances in all; one <see cref="Placer.PlaceEach"/>
/// call per app (the agents' use carried over, as control passes see it) and then all apps in one call, repeated
/// <c>--runs</c> times. <c>--constraint none|unique|group_by|group_by_3|max_per</c>.
/// </summary>
internal static class PlacerBenchmark
{
    private static readonly Timestamp Version = Timestamp.From(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public static Task<int> RunAsync(BenchArgs args)
    {
        var agentCount = args.Int("agents", 10_000);
        var instances = args.Int("instances", 100_000);
        var apps = args.Int("apps", 100);
        var runs = args.Int("runs", 5);
        var constraint = args.Values.GetValueOrDefault("constraint", "none");
        ConstraintSpec[] constraints = constraint switch
        {
            "none" => [],
            "unique" => [new ConstraintSpec("hostname", "UNIQUE")],
            "group_by" => [new ConstraintSpec("rack", "GROUP_BY")],
            "group_by_3" => [new ConstraintSpec("rack", "GROUP_BY", "10")],
            "max_per" => [new ConstraintSpec("rack", "MAX_PER", (instances / apps / 10 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))],
            _ => throw new ArgumentException("--constraint must be none, unique, group_by, group_by_3 or max_per"),
        };
        var perApp = instances / apps;
        var random = new Random(7);
        var agents = Enumerable.Range(0, agentCount).Select(i => new AgentInfo
        {
            Id = new AgentId($"agent-{i:D6}"),
            Hostname = $"host-{i:D6}",
            Resources = new ResourceVector(64, 262144, 1_000_000),
            Ports = new[] { new PortRange(31000, 32000) },
            Attributes = new ValueMap<string>([new("rack", $"r{i % 10}")]),
        }).OrderBy(_ => random.Next()).ToArray();
        var requests = Enumerable.Range(0, apps).Select(a =>
        {
            var app = new AppSpec
            {
                Id = PathId.Parse($"/bench/app-{a:D4}"),
                Cmd = "sleep 3600",
                Instances = perApp,
                Cpus = 0.001,
                Mem = 1,
                VersionInfo = VersionInfo.ForNew(Version),
                Constraints = constraints,
            };
            var scheduled = Enumerable.Range(0, perApp).Select(n => new Instance
            {
                Id = new InstanceId($"{app.Id.SafePath}.instance-{n:D8}-0000-0000-0000-000000000000"),
                RunSpecId = app.Id,
                RunSpecVersion = Version,
                Condition = Condition.Scheduled,
                Goal = Goal.Running,
                Since = Version,
            }).ToArray();
            return new PlacementRequest(app, scheduled, scheduled);
        }).ToArray();

        var perCall = new List<double>();
        var oneCall = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var used = new Dictionary<AgentId, int>();
            var placed = 0;
            var clock = Stopwatch.StartNew();
            foreach (var request in requests)
            {
                var capacities = agents.Select(a => new AgentCapacity(a, new ResourceVector(0.001 * used.GetValueOrDefault(a.Id), used.GetValueOrDefault(a.Id), 0), new HashSet<int>())).ToList();
                foreach (var p in Placer.PlaceEach(capacities, [request], new Random(run))[0].Placed)
                {
                    used[p.Agent] = used.GetValueOrDefault(p.Agent) + 1;
                    placed++;
                }
            }
            perCall.Add(clock.Elapsed.TotalMilliseconds);
            Check(placed, apps * perApp, "one call per app");

            var all = agents.Select(a => new AgentCapacity(a, default, new HashSet<int>())).ToList();
            clock.Restart();
            var results = Placer.PlaceEach(all, requests, new Random(run));
            oneCall.Add(clock.Elapsed.TotalMilliseconds);
            Check(results.Sum(r => r.Placed.Count), apps * perApp, "one call");
        }
        Console.WriteLine($"placer, constraint {constraint}: {apps * perApp} instances, {apps} apps, {agentCount} agents, {runs} runs");
        Console.WriteLine($"  one call per app: {Stats.Summary(perCall)}; median {apps * perApp / Stats.Percentile(perCall, 50) * 1000:0} placements/s");
        Console.WriteLine($"  all apps in one call: {Stats.Summary(oneCall)}; median {apps * perApp / Stats.Percentile(oneCall, 50) * 1000:0} placements/s");
        return Task.FromResult(0);
    }

    private static void Check(int placed, int expected, string what)
    {
        if (placed != expected)
        {
            throw new InvalidOperationException($"{what}: placed {placed} of {expected}");
        }
    }
}
