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
        for (var seed = 1; seed <= Seeds; seed++)
        {
            try
            {
                CheckOne(seed);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Assert.Fail($"seed {seed}: {e.Message}");
            }
        }
    }

    private static AppSpec RandomApp(Random rng, int k)
    {
        var deps = Enumerable.Range(0, k).Where(_ => rng.Next(4) == 0).Select(PathOf);
        var app = App(PathOf(k).Value, instances: rng.Next(0, 4)) with { Dependencies = new ValueList<PathId>(deps) };
        return rng.Next(3) == 0 ? app with { Labels = OptIn } : app;
    }

    private static void CheckOne(int seed)
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
                var fresh = RandomApp(rng, k);
                target[fresh.Id] = VersionBookkeeping.Apply(null, fresh, t);
                continue;
            }
            var app = RandomApp(rng, k);
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

        var plan = DeploymentPlanner.Plan(Id, t, original, target);
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
                foreach (var dep in TransitiveDependencies(id, target).Where(stepOf.ContainsKey))
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
        Assert.Equal(plan, DeploymentPlanner.Plan(Id, t, shuffledOriginal, shuffledTarget));
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

    private static HashSet<PathId> TransitiveDependencies(PathId id, Dictionary<PathId, AppSpec> root)
    {
        var seen = new HashSet<PathId>();
        var stack = new Stack<PathId>(root[id].Dependencies.Where(root.ContainsKey));
        while (stack.Count > 0)
        {
            var next = stack.Pop();
            if (seen.Add(next))
            {
                foreach (var d in root[next].Dependencies.Where(root.ContainsKey))
                {
                    stack.Push(d);
                }
            }
        }
        return seen;
    }
}
