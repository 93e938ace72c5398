using Harrier.Core.Apps;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Time;
using Xunit;
using static Harrier.Scheduling.Tests.TestData;

namespace Harrier.Scheduling.Tests;

/// <summary>
/// Drives <see cref="RollingRestart.Next"/> through a discrete-time cluster: launched instances reach Running and then
/// healthy (and ready) after random delays, or never; kills take random time to become terminal; some new instances
/// fail once and are relaunched. Every tick checks the §9.4 safety bounds; runs where every new instance eventually
/// becomes healthy must finish. A failure names its seed.
/// </summary>
public sealed class RollingRestartSimulationTests
{
    private const int Cases = 500;
    private static readonly Timestamp NewVersion = At(1000);
    private static readonly (double MinHc, double MaxOc)[] Strategies =
        [(1, 1), (0.5, 0), (1, 0), (0, 0), (0.5, 0.2), (1, 0.2), (0.75, 0.5), (0.25, 1), (0.9, 0.1), (0, 1)];

    [Fact]
    public void Next_RandomClusters_KeepsHealthAndCapacityBoundsAndFinishes()
    {
        for (var seed = 1; seed <= Cases; seed++)
        {
            try
            {
                new Run(seed, limitRoom: false).Execute();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Assert.Fail($"seed {seed}: {e.Message}");
            }
        }
    }

    /// <summary>
    /// The same clusters with room for only a few instances of the app (launches beyond it wait unplaced): a restart
    /// <see cref="DeploymentFeasibility"/> calls feasible finishes, one it calls impossible never does.
    /// </summary>
    [Fact]
    public void Next_RandomClustersWithLimitedRoom_FinishExactlyWhenFeasible()
    {
        var (feasible, infeasible) = (0, 0);
        for (var seed = 1; seed <= Cases; seed++)
        {
            try
            {
                if (new Run(seed, limitRoom: true).Execute())
                {
                    feasible++;
                }
                else
                {
                    infeasible++;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Assert.Fail($"seed {seed}: {e.Message}");
            }
        }
        // Both kinds of case must actually occur, or the test proves nothing.
        Assert.True(feasible > 50 && infeasible > 50, $"{feasible} feasible, {infeasible} infeasible runs");
    }

    private sealed class SimInstance
    {
        public required Instance State { get; set; }
        public bool IsNew { get; init; }
        public int RunAt { get; set; }
        public int HealthyAt { get; init; } = int.MaxValue;
        public int ReadyAt { get; init; } = int.MaxValue;
        public int FailAt { get; set; } = int.MaxValue;
        public int TerminalAt { get; set; } = int.MaxValue;
        public bool Ready { get; set; }
    }

    private sealed class Run
    {
        private readonly Random _rng;
        private readonly int _seed;
        private readonly List<SimInstance> _instances = [];
        private readonly UpgradeStrategy _strategy;
        private readonly int _n;
        private readonly bool _resident;
        private readonly bool _health;
        private readonly bool _readiness;
        private readonly bool _someNeverHealthy;
        private readonly int _slots = int.MaxValue;
        private int _nextId;

        public Run(int seed, bool limitRoom)
        {
            _seed = seed;
            _rng = new Random(seed);
            var (minHc, maxOc) = Strategies[_rng.Next(Strategies.Length)];
            _strategy = new UpgradeStrategy(minHc, maxOc);
            _n = _rng.Next(0, 8);
            _resident = _rng.Next(5) == 0;
            _health = _rng.Next(2) == 0;
            _readiness = _rng.Next(3) == 0;
            _someNeverHealthy = _rng.Next(4) == 0;
            var oldCount = _rng.Next(4) == 0 ? _rng.Next(0, _n + 3) : _n;
            for (var i = 0; i < oldCount; i++)
            {
                var healthy = !_health || _rng.Next(6) != 0;
                _instances.Add(new SimInstance { State = Make(T0, Condition.Running, healthy) });
            }
            for (var i = _rng.Next(4) == 0 ? _rng.Next(1, 3) : 0; i > 0; i--)
            {
                _instances.Add(Launch(0)); // adopted: new-version instances that exist already (a failover)
            }
            if (limitRoom)
            {
                _slots = Math.Max(oldCount, _n - 1 + _rng.Next(0, 3));
            }
        }

        /// <summary>Runs the restart; returns whether <see cref="DeploymentFeasibility"/> called it feasible.</summary>
        public bool Execute()
        {
            var app = App("/web", _n) with
            {
                UpgradeStrategy = _strategy,
                HealthChecks = _health ? new[] { new HealthCheckSpec() } : [],
                VersionInfo = VersionInfo.ForNew(NewVersion),
            };
            var feasible = _slots == int.MaxValue
                || DeploymentFeasibility.Restart(app, [.. _instances.Select(i => i.State)], _resident, _slots) is null;
            var minHealthy = (int)Math.Ceiling(_n * _strategy.MinimumHealthCapacity);
            var baseCapacity = (int)(_n * (1 + _strategy.MaximumOverCapacity));
            var special = _n > 0 && minHealthy == baseCapacity;
            var capacityBound = special && !_resident ? baseCapacity + 1 : baseCapacity;
            var floor = Math.Min(special && _resident ? minHealthy - 1 : minHealthy, ConsideredHealthy());
            var initialOccupying = Occupying();
            var bound = 40 + (25 * (_n + _instances.Count + 1));
            var ticks = _someNeverHealthy && feasible ? 200 : bound;
            for (var t = 0; t < ticks; t++)
            {
                Progress(t);
                var healthy = ConsideredHealthy();
                var occupying = Occupying();
                Assert.True(healthy >= floor, $"tick {t}: {healthy} considered healthy, floor {floor}");
                Assert.True(occupying <= Math.Max(capacityBound, initialOccupying), $"tick {t}: {occupying} occupying > {capacityBound}");

                var decision = RollingRestart.Next(Input());
                if (decision.Launch > 0)
                {
                    Assert.True(occupying + decision.Launch <= capacityBound, $"tick {t}: launching {decision.Launch} with {occupying} occupying, bound {capacityBound}");
                }
                if (decision.Done)
                {
                    Assert.True(feasible, $"tick {t}: done although called infeasible with room for {_slots} (N={_n}, {_strategy})");
                    AssertReallyDone(t);
                    return true;
                }
                Apply(decision, t);
            }
            Assert.True(_someNeverHealthy || !feasible, $"not done after {ticks} ticks (N={_n}, {_strategy}, resident={_resident}, room {_slots})");
            return feasible;
        }

        private void AssertReallyDone(int t)
        {
            var newReady = _instances.Count(i => i.IsNew && IsHealthy(i) && (!_readiness || i.Ready));
            Assert.True(newReady >= _n, $"tick {t}: done with {newReady} of {_n} new instances healthy and ready");
            Assert.DoesNotContain(_instances, i => !i.IsNew && (i.State.Goal == Goal.Running || i.State.Condition.IsActive()));
        }

        private RollingRestartInput Input() => new(
            _n, _strategy, _resident, _health, _readiness, NewVersion, [.. _instances.Select(i => i.State)],
            _instances.Where(i => i.Ready).Select(i => i.State.Id).ToHashSet());

        private void Apply(RollingRestartDecision decision, int t)
        {
            foreach (var id in decision.Kill)
            {
                var victim = _instances.Single(i => i.State.Id == id);
                Assert.Equal(Goal.Running, victim.State.Goal);
                victim.State = victim.State with { Goal = _resident ? Goal.Stopped : Goal.Decommissioned };
                victim.TerminalAt = t + _rng.Next(0, 4);
            }
            for (var k = 0; k < decision.Launch; k++)
            {
                _instances.Add(Launch(t));
            }
        }

        private SimInstance Launch(int t)
        {
            var runAt = t + _rng.Next(1, 5);
            var healthyAt = _someNeverHealthy && _rng.Next(3) == 0 ? int.MaxValue : runAt + _rng.Next(0, 5);
            return new SimInstance
            {
                State = Make(NewVersion, Condition.Scheduled, null),
                IsNew = true,
                RunAt = runAt,
                HealthyAt = healthyAt,
                ReadyAt = healthyAt == int.MaxValue ? int.MaxValue : healthyAt + _rng.Next(0, 4),
                FailAt = _rng.Next(5) == 0 ? runAt - 1 : int.MaxValue,
            };
        }

        private void Progress(int t)
        {
            foreach (var i in _instances.ToArray())
            {
                var s = i.State;
                if (s.Goal != Goal.Running)
                {
                    if (!s.Condition.IsTerminal() && (t >= i.TerminalAt || !s.Condition.IsActive()))
                    {
                        if (s.Goal == Goal.Decommissioned)
                        {
                            _instances.Remove(i); // terminal and decommissioned: expunged
                        }
                        else
                        {
                            i.State = s with { Condition = Condition.Killed, Healthy = null };
                            i.Ready = false;
                        }
                    }
                    else if (s.Condition.IsActive())
                    {
                        i.State = s with { Condition = Condition.Killing };
                    }
                    continue;
                }
                if (!i.IsNew)
                {
                    continue;
                }
                if (t >= i.FailAt)
                {
                    // Fails before it ever runs; the launch queue relaunches it (same instance, goal still Running).
                    i.State = s with { Condition = Condition.Failed };
                    i.FailAt = int.MaxValue;
                    i.RunAt = t + _rng.Next(2, 5);
                    continue;
                }
                if (s.Condition is Condition.Scheduled or Condition.Failed)
                {
                    if (_instances.Count(x => x.State.Condition.IsActive()) >= _slots)
                    {
                        continue; // no room: stays unplaced until something terminates
                    }
                    s = s with { Condition = Condition.Staging };
                }
                else if (s.Condition == Condition.Staging && t >= i.RunAt)
                {
                    s = s with { Condition = Condition.Running, ActiveSince = At(t) };
                }
                if (s.Condition == Condition.Running && t >= i.HealthyAt)
                {
                    s = s with { Healthy = true };
                }
                i.State = s;
                i.Ready = s.Healthy == true && t >= i.ReadyAt;
            }
        }

        private bool IsHealthy(SimInstance i) => RollingRestart.IsConsideredHealthy(i.State, _health);

        private int ConsideredHealthy() => _instances.Count(IsHealthy);

        /// <summary>Instances holding (or about to hold) a place: all but the terminal ones nobody will relaunch.</summary>
        private int Occupying() => _instances.Count(i => i.State.Condition.IsActive() || (i.IsNew && i.State.Goal == Goal.Running));

        private Instance Make(Timestamp version, Condition condition, bool? healthy)
        {
            var n = _nextId++;
            return new Instance
            {
                Id = new InstanceId($"web.instance-{_seed:D6}-{n:D6}"),
                RunSpecId = PathId.Parse("/web"),
                RunSpecVersion = version,
                Condition = condition,
                Since = At(0),
                ActiveSince = condition == Condition.Running ? At(n) : null,
                Healthy = _health ? healthy : null,
                Incarnation = condition == Condition.Scheduled ? 0 : 1,
            };
        }
    }
}
