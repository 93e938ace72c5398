using Harrier.Core.Apps;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Xunit;
using static Harrier.Scheduling.Tests.TestData;

namespace Harrier.Scheduling.Tests;

public sealed class ScalingPropositionTests
{
    private static readonly Dictionary<AgentId, AgentInfo> Agents = new[]
    {
        Agent("a1", rack: "r1"), Agent("a2", rack: "r1"), Agent("a3", rack: "r2"), Agent("a4", rack: "r3"),
    }.ToDictionary(a => a.Id);

    private static AgentInfo? AgentOf(Instance i) => i.AgentId is { } id ? Agents.GetValueOrDefault(id) : null;

    private static ScalingDecision Propose(IReadOnlyList<Instance> instances, int scaleTo, IReadOnlyList<InstanceId>? sentenced = null,
        KillSelection selection = KillSelection.YoungestFirst, params ConstraintSpec[] constraints) =>
        ScalingProposition.Propose(instances, scaleTo, sentenced ?? [], selection, constraints, AgentOf);

    private static Instance Running(int n, int activeSince, string agent = "a1") =>
        Instance("/app", n, Condition.Running, Agents[new AgentId(agent)], activeSince: At(activeSince));

    [Fact]
    public void Propose_ScaleUp_StartsTheMissing()
    {
        var decision = Propose([Running(1, 1)], 3);

        Assert.Empty(decision.ToKill);
        Assert.Equal(2, decision.ToStart);
    }

    [Fact]
    public void Propose_YoungestFirst_KillsNewest()
    {
        var instances = new[] { Running(1, 10), Running(2, 30), Running(3, 20) };

        var decision = Propose(instances, 1);

        Assert.Equal([instances[1].Id, instances[2].Id], decision.ToKill);
        Assert.Equal(0, decision.ToStart);
    }

    [Fact]
    public void Propose_OldestFirst_KillsOldest()
    {
        var instances = new[] { Running(1, 10), Running(2, 30), Running(3, 20) };

        var decision = Propose(instances, 2, selection: KillSelection.OldestFirst);

        Assert.Equal([instances[0].Id], decision.ToKill);
    }

    [Fact]
    public void Propose_ConditionOrder_UnreachableStagingStartingRunningOthers()
    {
        var running = Running(1, 100);
        var scheduled = Instance("/app", 2, Condition.Scheduled);
        var starting = Instance("/app", 3, Condition.Starting, Agents[new AgentId("a1")]);
        var staging = Instance("/app", 4, Condition.Staging, Agents[new AgentId("a1")], stagedAt: At(1));
        var unreachable = Instance("/app", 5, Condition.Unreachable, Agents[new AgentId("a1")]);

        var decision = Propose([running, scheduled, starting, staging, unreachable], 0);

        Assert.Equal([unreachable.Id, staging.Id, starting.Id, running.Id, scheduled.Id], decision.ToKill);
    }

    [Fact]
    public void Propose_NoActiveSince_GoesFirstWithinCondition()
    {
        var withTime = Running(1, 10);
        var without = Instance("/app", 2, Condition.Running, Agents[new AgentId("a1")]);

        var decision = Propose([withTime, without], 1);

        Assert.Equal([without.Id], decision.ToKill);
    }

    [Fact]
    public void Propose_Sentenced_KilledFirstEvenBeyondScaleDown()
    {
        var instances = new[] { Running(1, 10), Running(2, 30), Running(3, 20) };

        var decision = Propose(instances, 3, [instances[0].Id]);

        Assert.Equal([instances[0].Id], decision.ToKill);
        Assert.Equal(1, decision.ToStart);
    }

    [Fact]
    public void Propose_SentencedThenOrder()
    {
        var instances = new[] { Running(1, 10), Running(2, 30), Running(3, 20) };

        var decision = Propose(instances, 1, [instances[0].Id]);

        Assert.Equal([instances[0].Id, instances[1].Id], decision.ToKill);
    }

    [Fact]
    public void Propose_IgnoresNonRunningGoalsAndInactiveUnreachable()
    {
        var decommissioned = Instance("/app", 1, Condition.Running, Agents[new AgentId("a1")], goal: Goal.Decommissioned);
        var inactive = Instance("/app", 2, Condition.UnreachableInactive, Agents[new AgentId("a1")]);
        var running = Running(3, 1);

        var decision = Propose([decommissioned, inactive, running], 1);

        Assert.Empty(decision.ToKill);
        Assert.Equal(0, decision.ToStart);
    }

    [Fact]
    public void Propose_GroupBy_KillsFromMostPopulatedGroup()
    {
        // rack r1 holds three (a1, a2), r2 one, r3 one; the youngest is on r3, but balance comes first.
        var instances = new[] { Running(1, 1, "a1"), Running(2, 2, "a2"), Running(3, 3, "a1"), Running(4, 4, "a3"), Running(5, 50, "a4") };

        var decision = Propose(instances, 3, constraints: new ConstraintSpec("rack", "GROUP_BY"));

        Assert.Equal([instances[2].Id, instances[1].Id], decision.ToKill);
    }

    [Fact]
    public void Propose_GroupByOnHostname_Balances()
    {
        var instances = new[] { Running(1, 1, "a1"), Running(2, 2, "a1"), Running(3, 3, "a2") };

        var decision = Propose(instances, 2, constraints: new ConstraintSpec("hostname", "GROUP_BY", "2"));

        Assert.Equal([instances[1].Id], decision.ToKill);
    }

    [Fact]
    public void InstancesAfterKill_CountsOnlyActiveNotKillingInstances()
    {
        var selected = new[]
        {
            Running(1, 1),
            Instance("/app", 2, Condition.Killing, Agents[new AgentId("a1")]),
            Instance("/app", 3, Condition.Failed, Agents[new AgentId("a1")]),
            Instance("/app", 4, Condition.Staging, Agents[new AgentId("a1")]),
        };

        Assert.Equal(3, ScalingProposition.InstancesAfterKill(5, selected));
        Assert.Equal(0, ScalingProposition.InstancesAfterKill(1, selected));
    }
}
