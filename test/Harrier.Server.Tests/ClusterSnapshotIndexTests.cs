using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Time;
using Harrier.Server.Cluster;
using Xunit;

namespace Harrier.Server.Tests;

public sealed class ClusterSnapshotIndexTests
{
    private sealed class InstanceIdOrder : IComparer<InstanceId>
    {
        public static InstanceIdOrder Instance { get; } = new();

        public int Compare(InstanceId x, InstanceId y) => string.CompareOrdinal(x.Value, y.Value);
    }

    [Fact]
    public void ScheduledTallyAndPerAppIndex_AfterRandomPutsAndRemoves_EqualAScanOfAllInstances()
    {
        var random = new Random(42);
        var ids = Enumerable.Range(0, 50).Select(_ => InstanceId.For(PathId.Parse("/app-" + random.Next(3)), Guid.NewGuid())).ToArray();
        var conditions = Enum.GetValues<Condition>();
        var snapshot = new ClusterSnapshot();
        for (var step = 0; step < 2_000; step++)
        {
            var id = ids[random.Next(ids.Length)];
            Instance Random(InstanceId id) => new()
            {
                Id = id,
                RunSpecId = PathId.Parse("/" + id.Value.Split('.')[0]),
                RunSpecVersion = Timestamp.Zero,
                Since = Timestamp.Zero,
                Condition = conditions[random.Next(conditions.Length)],
                Healthy = random.Next(3) switch { 0 => null, 1 => true, _ => false },
            };
            switch (random.Next(6))
            {
                case 0:
                    snapshot = snapshot.WithoutInstance(id);
                    break;
                case 1:
                    // The bulk path, with repeats of one instance inside the batch.
                    snapshot = snapshot.WithInstances([.. Enumerable.Range(0, 12).Select(_ => Random(ids[random.Next(ids.Length)]))]);
                    break;
                default:
                    snapshot = snapshot.WithInstance(Random(id));
                    break;
            }
            var scanned = snapshot.Instances.Values.Where(i => i.Condition == Condition.Scheduled).Select(i => i.Id).ToHashSet();
            Assert.True(scanned.SetEquals(snapshot.Scheduled), $"step {step}");
            foreach (var condition in conditions)
            {
                Assert.Equal(snapshot.Instances.Values.Count(i => i.Condition == condition), snapshot.Tally[condition]);
            }
            Assert.Equal(snapshot.Instances.Values.Count(i => i.Healthy == false), snapshot.Tally.Unhealthy);
            var byApp = snapshot.Instances.Values.GroupBy(i => i.RunSpecId).ToDictionary(g => g.Key, g => g.Select(i => i.Id).Order(InstanceIdOrder.Instance).ToList());
            Assert.Equal(byApp.Keys.Order().ToList(), snapshot.InstancesByApp.Where(kv => !kv.Value.IsEmpty).Select(kv => kv.Key).Order().ToList());
            Assert.All(byApp, kv => Assert.Equal(kv.Value, snapshot.InstancesByApp[kv.Key].ToList()));
        }
    }
}
