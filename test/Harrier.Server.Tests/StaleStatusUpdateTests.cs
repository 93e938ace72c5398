using Harrier.Core.Instances;
using Harrier.Protocol;
using Xunit;

namespace Harrier.Server.Tests;

/// <summary>Agents resend unacknowledged updates, so an older update can arrive after a newer one was applied.</summary>
public sealed class StaleStatusUpdateTests
{
    [Theory]
    [InlineData(TaskState.Running, TaskState.Staging, Condition.Running)]
    [InlineData(TaskState.Running, TaskState.Starting, Condition.Running)]
    [InlineData(TaskState.Killing, TaskState.Running, Condition.Killing)]
    public async Task OlderUpdateAfterANewerOne_IsAcknowledgedButNotApplied(TaskState newer, TaskState older, Condition expected)
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var agent = new FakeAgent(cluster.Gateway);
        await agent.StartAsync();
        await cluster.DeployAsync(TestCluster.App("/stale", 1));
        await cluster.WaitForRunningAsync("/stale", 1);
        var task = cluster.InstancesOf("/stale").Single().TaskId!.Value;
        await agent.WaitForAckAsync(await agent.ReportAsync(task, newer));
        var applied = cluster.InstancesOf("/stale").Single();
        Assert.Equal(expected, applied.Condition);
        using var subscription = cluster.Events.Subscribe();

        await agent.WaitForAckAsync(await agent.ReportAsync(task, older));

        var after = cluster.InstancesOf("/stale").Single();
        Assert.Equal(expected, after.Condition);
        Assert.Equal(applied.Since, after.Since);
        var events = new List<Harrier.Server.Events.ClusterEvent>();
        while (subscription.Reader.TryRead(out var item))
        {
            events.Add(item.Event);
        }
        Assert.DoesNotContain(events, e => e is Harrier.Server.Events.TaskStatusEvent);
    }
}
