using Harrier.Core.Apps;
using Harrier.Core.Ids;
using Harrier.Server.Commands;
using Harrier.Server.Events;
using Xunit;

namespace Harrier.Server.Tests.Deployments;

public sealed class DeploymentEventTests
{
    [Fact]
    public async Task ForceCancel_StepInProgress_PublishesStepFailureThenDeploymentFailed()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var events = cluster.Events.Subscribe();
        await using var agent = new FakeAgent(cluster.Gateway) { HoldLaunches = true };
        await agent.StartAsync();
        var deployed = await cluster.DeployAsync(TestCluster.App("/web", 2) with { HealthChecks = new[] { new HealthCheckSpec() } });
        await cluster.WaitAsync(s => s.Deployments.Any(d => d.CurrentStep == 2), "at the scale step");

        await cluster.Orchestrator.ExecuteAsync<object?>(new CancelDeploymentCommand(deployed.Plan.Id, Force: true), CancellationToken.None);

        await Task.Delay(100);
        var seen = new List<ClusterEvent>();
        while (events.Reader.TryRead(out var e))
        {
            seen.Add(e.Event);
        }
        var add = Assert.Single(seen.OfType<AddHealthCheckEvent>());
        Assert.Equal(PathId.Parse("/web"), add.AppId);
        var failure = Assert.Single(seen.OfType<DeploymentStepEvent>(), e => e.Failed);
        Assert.Equal(2, failure.Step);
        var failed = Assert.Single(seen.OfType<DeploymentFailedEvent>());
        Assert.Equal("The upgrade has been cancelled", failed.Reason);
        Assert.True(seen.IndexOf(failure) < seen.IndexOf(failed));
        Assert.Empty(cluster.Snapshot.DeploymentReasons);
    }
}
