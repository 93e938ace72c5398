using System.Text.Json.Nodes;
using Harrier.LoadBalancer.Marathon;
using Harrier.LoadBalancer.Rendering;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Marathon;

public sealed class ServiceBuilderTests
{
    private static readonly LbOptions HealthChecked = new() { HealthCheck = true };

    private static JsonObject CheckedApp(JsonArray? results)
    {
        var app = AppsBuilder.App("/app", 10001);
        app["healthChecks"] = new JsonArray(new JsonObject { ["protocol"] = "TCP", ["portIndex"] = 0 });
        var task = app["tasks"]![0]!.AsObject();
        if (results is not null)
        {
            task["healthCheckResults"] = results;
        }
        return app;
    }

    [Fact]
    public void Render_TaskWithoutHealthResults_KeepsTheCachedVerdict()
    {
        var cache = new LbHealthCache();
        var alive = new JsonArray(new JsonObject { ["alive"] = true });

        LbRenderer.Render(AppsBuilder.Body(CheckedApp(alive)), HealthChecked, cache).Servers.Count.ShouldBe(1);
        LbRenderer.Render(AppsBuilder.Body(CheckedApp(null)), HealthChecked, cache).Servers.Count.ShouldBe(1);
        LbRenderer.Render(AppsBuilder.Body(CheckedApp(null)), HealthChecked).Servers.Count.ShouldBe(0);
    }

    [Fact]
    public void Render_TaskGoneFromTheBody_IsForgottenByTheCache()
    {
        var cache = new LbHealthCache();
        LbRenderer.Render(AppsBuilder.Body(CheckedApp(new JsonArray(new JsonObject { ["alive"] = true }))), HealthChecked, cache);

        LbRenderer.Render(AppsBuilder.Body(), HealthChecked, cache);

        cache.Count.ShouldBe(0);
        LbRenderer.Render(AppsBuilder.Body(CheckedApp(null)), HealthChecked, cache).Servers.Count.ShouldBe(0);
    }

    [Fact]
    public void Render_FrameworkNameInEnvironment_SkipsThatApp()
    {
        var body = AppsBuilder.Body(AppsBuilder.App("/marathon-lb", 10001), AppsBuilder.App("/web", 10002));

        var result = LbRenderer.Render(body, new LbOptions { Environment = new Dictionary<string, string> { ["FRAMEWORK_NAME"] = "marathon-lb" } });

        result.Servers.Select(s => s.AppId).ShouldBe(["/web"]);
    }

    [Fact]
    public void Render_BlueGreenPair_ServersCarryTheirOwnAppIdsAndDrainingFlags()
    {
        var result = LbRenderer.Render(GoldenCases.Read("config-extra/x12-zdd-blue-green-merge", "apps.json"), GoldenCases.Options("config-extra/x12-zdd-blue-green-merge"));

        result.Servers.ShouldNotBeEmpty();
        result.Servers.Select(s => s.AppId).Distinct().Count().ShouldBe(2);
        result.Servers.Where(s => s.Draining).ShouldAllBe(s => result.Config.Contains($"server {s.Server} ", StringComparison.Ordinal) && s.TaskId != null);
        result.Servers.Count(s => s.Draining).ShouldBe(result.Config.Split('\n').Count(l => l.EndsWith(" disabled", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("0", "blue")]
    [InlineData("1", "green")]
    public void Render_BlueGreenOldColourScaledLast_SwapsOnlyInAHybridDeploy(string newInstances, string disabledColour)
    {
        // After zdd's kill of a drained blue task (scale=true), blue is the app scaled last. Only a hybrid deploy
        // (non-zero NEW_INSTANCES) may swap the colours; a normal one must keep disabling blue, never green.
        JsonObject Colour(string colour, string startedAt, string scaledAt, int port)
        {
            var app = AppsBuilder.App($"/web-{colour}", port,
                ("HAPROXY_DEPLOYMENT_GROUP", "web"), ("HAPROXY_DEPLOYMENT_ALT_PORT", "10001"), ("HAPROXY_0_PORT", "10000"),
                ("HAPROXY_DEPLOYMENT_STARTED_AT", startedAt), ("HAPROXY_DEPLOYMENT_TARGET_INSTANCES", "2"),
                ("HAPROXY_DEPLOYMENT_NEW_INSTANCES", newInstances), ("HAPROXY_DEPLOYMENT_COLOUR", colour));
            app["instances"] = 2;
            app["versionInfo"] = new JsonObject { ["lastScalingAt"] = scaledAt };
            var tasks = app["tasks"]!.AsArray();
            tasks.Clear();
            tasks.Add(AppsBuilder.Task($"web-{colour}.1", "10.0.0.1", port + 1));
            tasks.Add(AppsBuilder.Task($"web-{colour}.2", "10.0.0.2", port + 2));
            return app;
        }
        var body = AppsBuilder.Body(
            Colour("blue", "2026-12-01T10:00:00", "2026-12-01T10:05:00.000Z", 20000),
            Colour("green", "2026-12-01T10:01:00", "2026-12-01T10:02:00.000Z", 21000));

        var result = LbRenderer.Render(body, new LbOptions());

        result.Servers.Where(s => s.Draining).ShouldNotBeEmpty();
        result.Servers.Where(s => s.Draining).ShouldAllBe(s => s.AppId == "/web-" + disabledColour);
    }

    [Fact]
    public void Render_ThousandAppsOfThreeTasks_RendersEveryServerTheSameEachTime()
    {
        var apps = Enumerable.Range(0, 1000).Select(i =>
        {
            var app = AppsBuilder.App($"/group{i % 10}/app{i}", 10000 + i, ("HAPROXY_0_VHOST", $"app{i}.example.com"));
            var tasks = app["tasks"]!.AsArray();
            tasks.Clear();
            for (var t = 0; t < 3; t++)
            {
                tasks.Add(AppsBuilder.Task($"app{i}.t{t}", $"10.0.{t}.{i % 250}", 20000 + i));
            }
            return (JsonNode)app;
        }).ToArray();
        var body = AppsBuilder.Body(apps);

        var first = LbRenderer.Render(body, new LbOptions { HaproxyMap = true });
        var second = LbRenderer.Render(body, new LbOptions { HaproxyMap = true });

        first.Servers.Count.ShouldBe(3000);
        first.Warnings.ShouldBeEmpty();
        second.Config.ShouldBe(first.Config);
        second.DomainMap.ShouldBe(first.DomainMap);
    }
}
