using Harrier.Core.Ids;
using Xunit;

namespace Harrier.State.Tests;

/// <summary>
/// Numbered changes whose partial application is detectable: generation n replaces generation n-1's three instances
/// and sets a counter agent to n. Any consistent view holds exactly one whole generation.
/// </summary>
internal static class Generations
{
    /// <summary>Generation <paramref name="seq"/>: three instances and a counter agent, replacing generation seq-1.</summary>
    public static StateChange Change(int seq) => new()
    {
        PutInstances = [.. Enumerable.Range(0, 3).Select(i => TestData.Instance($"g{seq}-{i}", message: $"{seq}"))],
        DeleteInstances = [.. Enumerable.Range(0, 3).Select(i => new InstanceId($"g{seq - 1}-{i}"))],
        PutAgents = [TestData.Agent("counter", hostname: $"{seq}")],
    };

    /// <summary>Asserts the data holds exactly one whole generation (or nothing) and returns its number.</summary>
    public static int AssertWhole(ClusterData data, int? expected = null)
    {
        if (data.Agents.IsEmpty)
        {
            Assert.Empty(data.Instances);
            Assert.Null(expected);
            return 0;
        }
        var seq = int.Parse(Assert.Single(data.Agents).Hostname);
        Assert.Equal(3, data.Instances.Length);
        Assert.All(data.Instances, i => Assert.Equal($"{seq}", i.Message));
        if (expected is { } e)
        {
            Assert.Equal(e, seq);
        }
        return seq;
    }
}
