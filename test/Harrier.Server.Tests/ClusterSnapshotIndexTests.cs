using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Time;
using Harrier.Server.Cluster;
using Xunit;

namespace Harrier.Server.Tests;

public sealed class ClusterSnapshotIndexTests
{
    [Fact]
    public void Scheduled_AfterRandomPutsAndRemoves_EqualsAScanOfAllInstances()
    {
        var random = new Random(42);
        var ids = Enumerable.Range(0, 50).Select(_ => InstanceId.For(PathId.Parse("/app-" + random.Next(3)), Guid.NewGuid())).ToArray();
        var conditions = Enum.GetValues<Condition>();
        var snapshot = new ClusterSnapshot();
        for (var step = 0; step < 2_000; step++)
        {
            var id = ids[random.Next(ids.Length)];
            if (random.Next(5) == 0)
            {
                snapshot = snapshot.WithoutInstance(id);
            }
            else
            {
                snapshot = snapshot.WithInstance(new Instance
                {
                    Id = id,
                    RunSpecId = PathId.Parse("/" + id.Value.Split('.')[0]),
                    RunSpecVersion = Timestamp.Zero,
                    Since = Timestamp.Zero,
                    Condition = conditions[random.Next(conditions.Length)],
                });
            }
            var scanned = snapshot.Instances.Values.Where(i => i.Condition == Condition.Scheduled).Select(i => i.Id).ToHashSet();
            Assert.True(scanned.SetEquals(snapshot.Scheduled), $"step {step}");
        }
    }
}
