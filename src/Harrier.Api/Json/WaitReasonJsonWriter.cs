using System.Text.Json;
using Harrier.Core.Time;
using Harrier.Server.Cluster;

namespace Harrier.Api.Json;

/// <summary>
/// Harrier's structured wait reason: <c>{"type", "since", "forSeconds", "message", …details}</c>, written as the
/// <c>reason</c> of a deployment action, a queue item or a <c>deployment_waiting_event</c>.
/// </summary>
internal static class WaitReasonJsonWriter
{
    public static void Write(Utf8JsonWriter w, string property, WaitReason reason, Timestamp now)
    {
        w.WritePropertyName(property);
        Write(w, reason, now);
    }

    public static void Write(Utf8JsonWriter w, WaitReason reason, Timestamp now)
    {
        w.WriteStartObject();
        w.WriteString("type", reason.Type);
        w.WriteString("since", reason.Since.ToString());
        w.WriteNumber("forSeconds", Math.Round(Math.Max(0, now.UnixMilliseconds - reason.Since.UnixMilliseconds) / 1000.0, 1));
        w.WriteString("message", reason.Message);
        foreach (var (key, value) in reason.Details.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            w.WriteString(key, value);
        }
        w.WriteEndObject();
    }
}
