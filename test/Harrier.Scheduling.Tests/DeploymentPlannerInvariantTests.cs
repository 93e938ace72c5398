using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Deployments;
using Harrier.Core.Ids;
using Xunit;
using static Harrier.Scheduling.Tests.TestData;

namespace Harrier.Scheduling.Tests;

/// <summary>
/// Seeded randomized roots: apps with random (acyclic) dependencies and random original → target edits (add, remove,
/// scale, restart-worthy change, opt-in in-place change). Each plan is checked against the §9.1 invariants; a failure
/// names its seed.
/// </summary>
public sealed class DeploymentPlannerInvariantTests
{
    private const int Seeds = 500;
    private const int Universe = 12;
    private static readonly DeploymentId Id = new("d");
    private static readonly ValueMap<string> OptIn = new([new(AppChangeClassifier.InPlaceUpdateLabel, "true")]);

    private enum Edit
    {
        Keep,
        Remove,
        Scale,
        Change,
        InPlace,
        InPlaceAndScale,
    }

    /// <summary>App k may only depend on apps with a lower index, so no root can hold a cycle.</summary>
    private static PathId PathOf(int k) => PathId.Parse(k % 3 == 0 ? $"/a{k}" : $"/g{k % 3}/a{k}");

    [Fact]
    public void Plan_RandomRoots_HoldTheStepInvariants()
    {
        var (checkedRoots, checkedWithGroups) = (0, 0);
        for (var seed = 1; seed <= Seeds; seed++)
        {
            try
            {
                // A root with a cycle is rejected by the API: the same seed then runs without group dependencies.
                var result = CheckOne(seed, allowGroups: true) ?? CheckOne(seed, allowGroups: false);
                checkedRoots += result is null ? 0 : 1;
                checkedWithGroups += result == true ? 1 : 0;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Assert.Fail($"seed {seed}: {e.Message}");
            }
        }
        Assert.True(checkedRoots == Seeds && checkedWithGroups > 100, $"{checkedRoots} roots checked, {checkedWithGroups} with group dependencies");
    }

    private static AppSpec RandomApp(Random rng, int k, bool allowGroups)
    {
        // Mostly apps of lower index; now and then a whole group (which may make a cycle: such roots are skipped).
        var deps = Enumerable.Range(0, k).Where(_ => rng.Next(4) == 0).Select(PathOf)
            .Concat(allowGroups && rng.Next(8) == 0 ? [PathId.Parse($"/g{rng.Next(1, 3)}")] : []);
        var app = App(PathOf(k).Value, instances: rng.Next(0, 4)) with { Dependencies = new ValueList<PathId>(deps) };
        return rng.Next(3) == 0 ? app with { Labels = OptIn } : app;
    }

    /// <returns>Whether the root had group dependencies; null when skipped (the API rejects roots with a cycle).</returns>
    private static bool? CheckOne(int seed, bool allowGroups)
    {
        var rng = new Random(seed);
        var original = new Dictionary<PathId, AppSpec>();
        var target = new Dictionary<PathId, AppSpec>();
        var edits = new Dictionary<PathId, Edit>();
        var t = At(500);
        for (var k = 0; k < Universe; k++)
        {
            var roll = rng.Next(10);
            if (roll < 3)
            {
                continue; // in neither root
            }
            if (roll < 5)
            {
                var fresh = RandomApp(rng, k, allowGroups);
                target[fresh.Id] = VersionBookkeeping.Apply(null, fresh, t);
                continue;
            }
            var app = RandomApp(rng, k, allowGroups);
            original[app.Id] = app;
            var edit = (Edit)rng.Next(6);
            edits[app.Id] = edit;
            AppSpec? next = edit switch
            {
                Edit.Keep => app,
                Edit.Remove => null,
                Edit.Scale => app with { Instances = app.Instances + 1 + rng.Next(3) },
                Edit.Change => NewDependency(rng, app, k) is { } dep
                    ? app with { Dependencies = new ValueList<PathId>(app.Dependencies.Append(dep)) }
                    : app with { Cmd = "v2" },
                Edit.InPlace => app with { Labels = OptIn, BackoffSeconds = app.BackoffSeconds + 1 },
                _ => app with { Labels = OptIn, KillSelection = KillSelection.OldestFirst, Instances = app.Instances + 1 },
            };
            if (next is not null)
            {
                target[app.Id] = VersionBookkeeping.Apply(app, next, t);
            }
        }

        Dictionary<PathId, IReadOnlyList<PathId>>? groups = allowGroups && rng.Next(3) == 0
            ? new() { [PathId.Parse("/g2")] = [PathId.Parse(rng.Next(2) == 0 ? "/g1" : "/a0")] }
            : null;
        if (DeploymentPlanner.HasCycle(target, groups))
        {
            return null;
        }
        var plan = DeploymentPlanner.Plan(Id, t, original, target, groupDependencies: groups);
        var steps = plan.Steps.Select(s => s.Actions.ToArray()).ToList();

        Assert.DoesNotContain(steps, s => s.Length == 0);
        var removed = original.Keys.Where(k => !target.ContainsKey(k)).ToHashSet();
        var added = target.Keys.Where(k => !original.ContainsKey(k)).ToHashSet();
        var index = 0;
        if (removed.Count > 0)
        {
            Assert.All(steps[0], a => Assert.Equal(DeploymentActionKind.StopApplication, a.Kind));
            Assert.Equal(removed.Order(), steps[0].Select(a => a.RunSpecId).Order());
            index++;
        }
        if (added.Count > 0)
        {
            Assert.All(steps[index], a => Assert.Equal((DeploymentActionKind.StartApplication, 0), (a.Kind, a.ScaleTo)));
            Assert.Equal(added.Order(), steps[index].Select(a => a.RunSpecId).Order());
            index++;
        }
        var ordered = steps.Skip(index).ToList();
        Assert.DoesNotContain(ordered.SelectMany(s => s), a => a.Kind is DeploymentActionKind.StopApplication or DeploymentActionKind.StartApplication);

        var stepOf = new Dictionary<PathId, int>();
        for (var s = 0; s < ordered.Count; s++)
        {
            foreach (var action in ordered[s])
            {
                Assert.True(stepOf.TryAdd(action.RunSpecId, s), $"{action.RunSpecId} has two actions");
            }
        }

        foreach (var (id, app) in target)
        {
            var action = ordered.SelectMany(s => s).SingleOrDefault(a => a.RunSpecId == id);
            var edit = added.Contains(id) ? (Edit?)null : edits[id];
            var expected = ExpectedKind(edit, app);
            Assert.True(expected == action?.Kind, $"{id} ({edit?.ToString() ?? "new"}): expected {expected?.ToString() ?? "no action"}, got {action?.Kind.ToString() ?? "none"}");
            if (action is not null)
            {
                foreach (var dep in TransitiveDependencies(id, target, groups).Where(stepOf.ContainsKey))
                {
                    Assert.True(stepOf[dep] < stepOf[id], $"{id} (step {stepOf[id]}) runs before its dependency {dep} (step {stepOf[dep]})");
                }
            }
        }

        var unchanged = edits.Where(e => e.Value == Edit.Keep).Select(e => e.Key).ToHashSet();
        Assert.DoesNotContain(plan.AffectedRunSpecs, unchanged.Contains);
        Assert.DoesNotContain(steps.SelectMany(s => s), a => unchanged.Contains(a.RunSpecId));

        var shuffledOriginal = original.OrderBy(_ => rng.Next()).ToDictionary();
        var shuffledTarget = target.OrderBy(_ => rng.Next()).ToDictionary();
        Assert.Equal(plan, DeploymentPlanner.Plan(Id, t, shuffledOriginal, shuffledTarget, groupDependencies: groups));
        return groups is not null || target.Values.Any(a => a.Dependencies.Any(d => d.Segments.Count == 1 && d.Name.StartsWith('g')));
    }

    /// <summary>A lower-index app this one does not depend on yet (null for a coin flip or when there is none).</summary>
    private static PathId? NewDependency(Random rng, AppSpec app, int k)
    {
        var candidates = Enumerable.Range(0, k).Select(PathOf).Except(app.Dependencies).ToArray();
        return candidates.Length == 0 || rng.Next(2) == 0 ? null : candidates[rng.Next(candidates.Length)];
    }

    private static DeploymentActionKind? ExpectedKind(Edit? edit, AppSpec target) => edit switch
    {
        null => DeploymentActionKind.ScaleApplication,
        Edit.Keep or Edit.Remove => null,
        Edit.Scale or Edit.InPlaceAndScale => DeploymentActionKind.ScaleApplication,
        // Marathon scales any changed app whose new instance count is 0 (a no-op scale to 0).
        _ when target.Instances == 0 => DeploymentActionKind.ScaleApplication,
        Edit.InPlace => null,
        _ => DeploymentActionKind.RestartApplication,
    };

    /// <summary>
    /// Spec §9.2, written out independently of the planner: a dependency names an app and/or every app under a group;
    /// a group's dependencies apply to every app under it.
    /// </summary>
    private static HashSet<PathId> TransitiveDependencies(
        PathId id, Dictionary<PathId, AppSpec> root, Dictionary<PathId, IReadOnlyList<PathId>>? groups)
    {
        IEnumerable<PathId> Direct(PathId app)
        {
            var named = root[app].Dependencies.AsEnumerable();
            if (groups is not null)
            {
                named = named.Concat(groups.Where(g => g.Key.IsAncestorOf(app)).SelectMany(g => g.Value));
            }
            return named.SelectMany(d => root.Keys.Where(k => k == d || d.IsAncestorOf(k)));
        }
        var seen = new HashSet<PathId>();
        var stack = new Stack<PathId>(Direct(id));
        while (stack.Count > 0)
        {
            var next = stack.Pop();
            if (seen.Add(next))
            {
                foreach (var d in Direct(next))
                {
                    stack.Push(d);
                }
            }
        }
        return seen;
    }
}
