using System.Text.Json;
using Harrier.Server.Balancers;

namespace Harrier.Api.Balancers;

/// <summary>The balancer protocol's bodies: a registration, and the drains a balancer must confirm.</summary>
internal static class BalancerJsonWriter
{
    public static void Write(Utf8JsonWriter w, BalancerRegistration b)
    {
        w.WriteStartObject();
        w.WriteString("id", b.Id);
        w.WriteStartArray("groups");
        foreach (var group in b.Groups)
        {
            w.WriteStringValue(group);
        }
        w.WriteEndArray();
        if (b.StatsUrl is null)
        {
            w.WriteNull("statsUrl");
        }
        else
        {
            w.WriteString("statsUrl", b.StatsUrl);
        }
        w.WriteString("registeredAt", b.RegisteredAt.ToString());
        w.WriteString("lastSeenAt", b.LastSeenAt.ToString());
        w.WriteNumber("leaseSeconds", b.LeaseSeconds);
        w.WriteNumber("pendingDrains", b.PendingDrains);
        w.WriteEndObject();
    }

    public static void WriteDrains(Utf8JsonWriter w, IReadOnlyList<DrainRequest> drains)
    {
        w.WriteStartObject();
        w.WriteStartArray("drains");
        foreach (var d in drains)
        {
            w.WriteStartObject();
            w.WriteString("taskId", d.TaskId);
            w.WriteString("appId", d.AppId);
            w.WriteString("host", d.Host);
            w.WriteStartArray("ports");
            foreach (var port in d.Ports)
            {
                w.WriteNumberValue(port);
            }
            w.WriteEndArray();
            w.WriteString("requestedAt", d.RequestedAt.ToString());
            w.WriteString("deadline", d.Deadline.ToString());
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
