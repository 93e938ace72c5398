using System.Text.Json.Nodes;
using Harrier.LoadBalancer.Zdd;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Zdd;

/// <summary>zdd.py's own outputs (shared/lb-fixtures/marathon-lb/zdd): the prepared app, the drain selection, the scale steps.</summary>
public sealed class ZddGoldenTests
{
    private static readonly DateTime Now = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Local).AddTicks(1234560);

    [Theory]
    [InlineData("zdd-prepare-simple")]
    [InlineData("zdd-prepare-simple_marathon15")]
    [InlineData("zdd-prepare-hybrid")]
    public void Prepare_GoldenCase_ProducesTheAppZddPosts(string name)
    {
        var input = ZddFixtures.Json(name, "input-app.json").AsObject();
        var existing = ZddFixtures.Json(name, "marathon-v2-apps-existing.json")["apps"]!.AsArray().Select(a => a!.AsObject()).ToList();
        var args = ZddFixtures.Json(name, "args.json");
        ZddAppPreparer.Validate(input);

        var prepared = ZddAppPreparer.Prepare(input, ZddDeploys.InGroup(existing, "nginx"), args["new_instances"]!.GetValue<int>(), args["initial_instances"]!.GetValue<int>(), Now);

        prepared["labels"]![ZddLabels.StartedAt]!.GetValue<string>().ShouldBe("2024-05-06T07:08:09.123456");
        prepared["labels"]![ZddLabels.StartedAt] = "<now, ISO-8601>";
        var expected = ZddFixtures.Json(name, "expected-new-app.json");
        JsonNode.DeepEquals(prepared, expected).ShouldBeTrue($"prepared:\n{prepared}\nexpected:\n{expected}");
    }

    [Fact]
    public void Prepare_GoldenCase_LeavesTheUsersAppUnchanged()
    {
        var input = ZddFixtures.Json("zdd-prepare-simple", "input-app.json").AsObject();
        var copy = input.DeepClone();

        ZddAppPreparer.Prepare(input, [], 0, 1, Now);

        JsonNode.DeepEquals(input, copy).ShouldBeTrue();
    }

    [Fact]
    public void DrainSelection_GoldenStatsOfTwoBalancers_SelectsDrainedAndDrainingTasks()
    {
        const string name = "zdd-drain-selection";
        var app = ZddFixtures.Json(name, "marathon-v2-apps.json")["apps"]![0]!.AsObject();
        var balancers = HaproxyStatsCsv.ParseBlocks(ZddFixtures.Text(name, "haproxy-stats.csv"));
        var expected = ZddFixtures.Json(name, "expected.json");
        static string? Identity(string host) => host;

        balancers.Count.ShouldBe(expected["haproxy_instance_count"]!.GetValue<int>());
        ZddDrainSelection.ServerNames(app, Identity).Select(s => s.Server).ShouldBe(Strings(expected["task_svnames"]));
        ZddDrainSelection.Drained(app, balancers, Identity).ShouldBe(Strings(expected["drained_task_ids"]));
        ZddDrainSelection.Draining(app, balancers, Identity).ShouldBe(Strings(expected["draining_task_ids"]));
    }

    [Fact]
    public void NextInstances_GoldenScaleSteps_GrowAsZddDid()
    {
        foreach (var step in ZddFixtures.Json("", "zdd-scale-steps.json")["cases"]!.AsArray())
        {
            var label = step!["new_instances_label"]?.GetValue<int>() ?? 0;
            var next = ZddScaling.NextInstances(step["new_instances"]!.GetValue<int>(), step["old_instances"]!.GetValue<int>(), step["target"]!.GetValue<int>(),
                label, ZddScaling.IsHybrid(label, false, false), linearIncrease: 0);
            next.ShouldBe(step["expected_next"]!.GetValue<int>(), step["note"]!.GetValue<string>());
        }
    }

    private static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(s => s!.GetValue<string>())];
}
