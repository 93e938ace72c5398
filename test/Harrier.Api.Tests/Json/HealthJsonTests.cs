using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harrier.Api.Json;
using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Health;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Time;
using Harrier.Server.Cluster;
using Harrier.Server.Events;
using Harrier.Server.Health;
using Xunit;

namespace Harrier.Api.Tests.Json;

public sealed class HealthJsonTests
{
    private static readonly Timestamp T = Timestamp.From(DateTimeOffset.Parse("2026-11-22T10:00:00.123Z", System.Globalization.CultureInfo.InvariantCulture));
    private static readonly PathId App = PathId.Parse("/web");
    private static readonly InstanceId Iid = InstanceId.For(App, Guid.Parse("00000000-0000-0000-0000-000000000001"));

    private static Instance Running() => new()
    {
        Id = Iid,
        RunSpecId = App,
        RunSpecVersion = T,
        Condition = Condition.Running,
        Since = T,
        AgentId = new AgentId("agent-1"),
        Host = "127.0.0.1",
        Incarnation = 1,
        HostPorts = new[] { 31000 },
    };

    private static JsonObject Event(ClusterEvent e, string type)
    {
        var view = new EventView(new ClusterSnapshot(), Harrier.Api.Security.Principal.Unrestricted, FullPlans: false);
        var (name, write) = Assert.Single(EventJsonWriter.Describe(e, view).Concat(Harrier.Api.Json.Extensions.HarrierEventJsonWriter.Describe(e)), d => d.Type == type);
        Assert.Equal(type, name);
        return Write(write);
    }

    private static JsonObject Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            write(w);
        }
        return JsonNode.Parse(Encoding.UTF8.GetString(stream.ToArray()))!.AsObject();
    }

    private static string[] Keys(JsonObject o) => [.. o.Select(p => p.Key).Order(StringComparer.Ordinal)];

    [Fact]
    public void HealthEvents_HaveMarathonsFields()
    {
        var i = Running();
        var changed = Event(new InstanceHealthChangedEvent(T, i, true), "instance_health_changed_event");
        Assert.Equal(["eventType", "healthy", "instanceId", "runSpecId", "runSpecVersion", "timestamp"], Keys(changed));
        Assert.True(changed["healthy"]!.GetValue<bool>());
        Assert.Null(Event(new InstanceHealthChangedEvent(T, i, null), "instance_health_changed_event")["healthy"]);

        var status = Event(new HealthStatusChangedEvent(T, i, false), "health_status_changed_event");
        Assert.Equal(["alive", "appId", "eventType", "instanceId", "timestamp", "version"], Keys(status));
        Assert.Equal("2026-11-22T10:00:00.123Z", status["version"]!.GetValue<string>());

        var failed = Event(new FailedHealthCheckEvent(T, i, new HealthCheckSpec { Path = "/health" }), "failed_health_check_event");
        Assert.Equal(["appId", "eventType", "healthCheck", "taskId", "timestamp"], Keys(failed));
        Assert.Equal(Iid.Value, failed["taskId"]!.GetValue<string>());
        Assert.Equal("/health", failed["healthCheck"]!["path"]!.GetValue<string>());

        var kill = Event(new UnhealthyInstanceKillEvent(T, i, "503 Service Unavailable"), "unhealthy_instance_kill_event");
        Assert.Equal(["appId", "eventType", "host", "instanceId", "reason", "slaveId", "taskId", "timestamp", "version"], Keys(kill));
        Assert.Equal(i.TaskId!.Value.Value, kill["taskId"]!.GetValue<string>());

        var add = Event(new AddHealthCheckEvent(T, App, T, new HealthCheckSpec()), "add_health_check_event");
        Assert.Equal(["appId", "eventType", "healthCheck", "timestamp", "version"], Keys(add));
        Assert.Equal(["appId", "eventType", "timestamp"], Keys(Event(new RemoveHealthCheckEvent(T, App), "remove_health_check_event")));
    }

    [Fact]
    public void GoalChange_IsAnInstanceChangedEvent() =>
        Assert.Equal("Running", Event(new InstanceChangedEvent(T, Running() with { Goal = Goal.Decommissioned }), "instance_changed_event")["condition"]!.GetValue<string>());

    [Fact]
    public void HarrierEvents_CarryTheReasonAndTheBreakerFigures()
    {
        var reason = WaitReason.Of("HealthFailing", T, "health check 0 fails", ("check", "0"), ("lastOutput", "503"));
        var waiting = Event(new DeploymentWaitingEvent(T.Plus(TimeSpan.FromSeconds(2)), new DeploymentId("d1"), App, reason), "deployment_waiting_event");
        Assert.Equal("HealthFailing", waiting["reason"]!["type"]!.GetValue<string>());
        Assert.Equal(2.0, waiting["reason"]!["forSeconds"]!.GetValue<double>());
        Assert.Equal("503", waiting["reason"]!["lastOutput"]!.GetValue<string>());

        var breaker = Event(new HealthBreakerEvent(T, new HealthBreakerState(HealthBreakerMode.Open, T, 8, 10, 4)), "health_kill_circuit_breaker_event");
        Assert.Equal("open", breaker["state"]!.GetValue<string>());
        Assert.Equal(4, breaker["failingApps"]!.GetValue<int>());
    }

    [Fact]
    public void Task_WithHealthResults_WritesMarathonsHealthCheckResults()
    {
        var app = new AppSpec { Id = App, Cmd = "sleep 1", HealthChecks = new[] { new HealthCheckSpec() } };
        var health = new InstanceHealth(
            Running().TaskId!.Value,
            new ValueList<HealthCheckResult>([new HealthCheckResult { CheckIndex = 0, ConsecutiveFailures = 2, FirstSuccess = T, LastSuccess = T, LastFailure = T.Plus(TimeSpan.FromSeconds(5)), LastFailureCause = "connection refused" }]),
            null);
        var task = Write(w => TaskJsonWriter.Write(w, Running(), app, withServicePorts: false, health));
        var result = Assert.Single(task["healthCheckResults"]!.AsArray())!.AsObject();
        Assert.Equal(["alive", "consecutiveFailures", "firstSuccess", "instanceId", "lastFailure", "lastFailureCause", "lastSuccess"], Keys(result));
        Assert.False(result["alive"]!.GetValue<bool>());
        Assert.Equal(Iid.Value, result["instanceId"]!.GetValue<string>());

        var noChecks = Write(w => TaskJsonWriter.Write(w, Running(), app with { HealthChecks = ValueList<HealthCheckSpec>.Empty }, withServicePorts: false, health));
        Assert.False(noChecks.ContainsKey("healthCheckResults"));
    }
}
