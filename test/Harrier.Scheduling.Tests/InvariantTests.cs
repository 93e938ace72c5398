using Harrier.Core.Apps;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Xunit;
using static Harrier.Scheduling.Tests.TestData;

namespace Harrier.Scheduling.Tests;

/// <summary>Seeded randomized checks; each failure message carries the seed that reproduces it.</summary>
public sealed class InvariantTests(ITestOutputHelper output)
{
    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 40).Select(i => i * 7919)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Place_RandomCluster_NeverOvercommitsOrViolatesUniqueAndMaxPer(int seed)
    {
        output.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        var agents = Enumerable.Range(0, rng.Next(1, 30)).Select(i =>
        {
            var info = Agent($"a{i}", cpus: rng.Next(1, 9), mem: rng.Next(256, 4097), disk: rng.Next(0, 2000),
                rack: rng.Next(3) == 0 ? null : "r" + rng.Next(4), portBegin: 31000, portEnd: 31000 + rng.Next(0, 12));
            var used = new ResourceVector(rng.NextDouble() * info.Resources.Cpus / 2, rng.Next(0, 200), 0);
            var usedPorts = Enumerable.Range(31000, 13).Where(_ => rng.Next(4) == 0).ToHashSet();
            return Capacity(info, used, usedPorts);
        }).ToArray();

        var requests = Enumerable.Range(0, rng.Next(1, 8)).Select(r =>
        {
            var id = $"/app{r}";
            var constraints = new List<ConstraintSpec>();
            if (rng.Next(3) == 0)
            {
                constraints.Add(new ConstraintSpec("hostname", "UNIQUE"));
            }
            if (rng.Next(3) == 0)
            {
                constraints.Add(new ConstraintSpec("rack", "MAX_PER", rng.Next(1, 4).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            var count = rng.Next(1, 25);
            var app = App(id, count, cpus: Math.Round(rng.NextDouble() * 2, 2), mem: rng.Next(16, 600))
                .WithPorts([.. Enumerable.Repeat(0, rng.Next(0, 3))])
                .WithConstraints([.. constraints]) with
            { RequirePorts = false };
            var existing = Enumerable.Range(0, rng.Next(0, 4))
                .Select(n => Instance(id, 1000 + n, Condition.Running, agents[rng.Next(agents.Length)].Agent))
                .ToArray();
            return new PlacementRequest(app, Scheduled(id, count), existing);
        }).ToArray();

        var result = Placer.Place(agents, requests, new Random(seed));

        foreach (var capacity in agents)
        {
            var mine = result.Placed.Where(p => p.Agent == capacity.Agent.Id).ToArray();
            var total = capacity.Used;
            foreach (var p in mine)
            {
                var app = requests.Single(r => r.ToPlace.Any(i => i.Id == p.Instance)).App;
                total += new ResourceVector(app.Cpus, app.Mem, app.Disk, app.Gpus);
                Assert.Equal(app.PortDefinitions.Count, p.HostPorts.Count);
            }
            Assert.True(capacity.Agent.Resources.Covers(total), $"seed {seed}: agent {capacity.Agent.Id} over-committed: {total}");
            var ports = mine.SelectMany(p => p.HostPorts).ToArray();
            Assert.True(ports.Length == ports.Distinct().Count(), $"seed {seed}: duplicate host ports on {capacity.Agent.Id}");
            Assert.All(ports, port => Assert.True(capacity.Agent.Ports.Any(r => r.Contains(port)) && !capacity.UsedPorts.Contains(port),
                $"seed {seed}: port {port} unavailable on {capacity.Agent.Id}"));
        }

        foreach (var request in requests)
        {
            var placedAgents = result.Placed.Where(p => request.ToPlace.Any(i => i.Id == p.Instance)).Select(p => p.Agent)
                .Concat(request.Existing.Select(e => e.AgentId!.Value)).Select(id => agents.Single(a => a.Agent.Id == id).Agent).ToArray();
            foreach (var c in request.App.Constraints)
            {
                if (c.Operator == "UNIQUE")
                {
                    var placedOnly = result.Placed.Where(p => request.ToPlace.Any(i => i.Id == p.Instance)).Select(p => p.Agent).ToArray();
                    var existingHosts = request.Existing.Select(e => e.AgentId!.Value).ToHashSet();
                    Assert.True(placedOnly.Length == placedOnly.Distinct().Count() && !placedOnly.Any(existingHosts.Contains),
                        $"seed {seed}: UNIQUE violated for {request.App.Id}");
                }
                if (c.Operator == "MAX_PER")
                {
                    var limit = int.Parse(c.Value!, System.Globalization.CultureInfo.InvariantCulture);
                    var newOnes = result.Placed.Where(p => request.ToPlace.Any(i => i.Id == p.Instance))
                        .Select(p => agents.Single(a => a.Agent.Id == p.Agent).Agent.Attributes.GetValueOrDefault("rack")).ToArray();
                    Assert.All(newOnes, r => Assert.NotNull(r));
                    var counts = placedAgents.Select(a => a.Attributes.GetValueOrDefault("rack")).Where(r => r is not null).GroupBy(r => r);
                    foreach (var g in counts.Where(g => newOnes.Contains(g.Key)))
                    {
                        // Existing instances may already exceed the limit; new ones must never push a rack past it.
                        var existingCount = request.Existing.Count(e => agents.Single(a => a.Agent.Id == e.AgentId).Agent.Attributes.GetValueOrDefault("rack") == g.Key);
                        Assert.True(g.Count() <= Math.Max(limit, existingCount), $"seed {seed}: MAX_PER violated for {request.App.Id} on {g.Key}");
                    }
                }
            }
        }
        var unplaced = requests.Sum(r => r.ToPlace.Count) - result.Placed.Count;
        Assert.True(unplaced == 0 || result.RejectReasons.Count > 0, $"seed {seed}: unplaced instances without reasons");
    }
}
