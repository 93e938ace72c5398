using System.Text.Json;
using Harrier.Server.Events;

namespace Harrier.Api.Json.Extensions;

/// <summary>
/// Harrier's own event types, which Marathon does not have: <c>deployment_waiting_event</c> (what a deployment action
/// waits for) and <c>health_kill_circuit_breaker_event</c>. A <c>/v2/events</c> subscriber gets them only when it
/// names them in <c>event_type</c> or opts in with the header <c>Harrier-Extensions: true</c>, so an unfiltered Marathon client never sees
/// an event type it does not know.
/// </summary>
internal static class HarrierEventJsonWriter
{
    public static IReadOnlySet<string> Types { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "deployment_waiting_event", "health_kill_circuit_breaker_event",
    };

    /// <summary>Harrier's events for one cluster event: (eventType, writer of the whole JSON object); none for most.</summary>
    public static IEnumerable<(string Type, Action<Utf8JsonWriter> Write)> Describe(ClusterEvent e) => e switch
    {
        DeploymentWaitingEvent d => [("deployment_waiting_event", w => DeploymentWaiting(w, d))],
        HealthBreakerEvent b => [("health_kill_circuit_breaker_event", w => Breaker(w, b))],
        _ => [],
    };

    private static void DeploymentWaiting(Utf8JsonWriter w, DeploymentWaitingEvent d)
    {
        w.WriteStartObject();
        w.WriteString("id", d.DeploymentId.Value);
        w.WriteString("appId", d.AppId.Value);
        if (d.Reason is { } reason)
        {
            WaitReasonJsonWriter.Write(w, "reason", reason, d.Timestamp);
        }
        else
        {
            w.WriteNull("reason");
        }
        w.WriteString("eventType", "deployment_waiting_event");
        w.WriteString("timestamp", d.Timestamp.ToString());
        w.WriteEndObject();
    }

    private static void Breaker(Utf8JsonWriter w, HealthBreakerEvent b)
    {
        var s = b.State;
        w.WriteStartObject();
        w.WriteString("state", s.Mode switch { Harrier.Server.Health.HealthBreakerMode.Open => "open", Harrier.Server.Health.HealthBreakerMode.Recovering => "recovering", _ => "closed" });
        w.WriteNumber("failingInstances", s.FailingInstances);
        w.WriteNumber("checkedInstances", s.CheckedInstances);
        w.WriteNumber("failingApps", s.FailingApps);
        w.WriteString("eventType", "health_kill_circuit_breaker_event");
        w.WriteString("timestamp", b.Timestamp.ToString());
        w.WriteEndObject();
    }
}
