using Harrier.Api.Apps;
using Harrier.Api.Http;
using Harrier.Api.Json.Extensions;
using Harrier.Api.Security;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Scheduling;
using Harrier.Server.Cluster;
using Harrier.Server.Commands;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Harrier.Api.Endpoints;

/// <summary><c>/v2/queue</c> (§2.6): apps with instances waiting to launch, their backoff and why offers were unused.</summary>
internal static class QueueEndpoints
{
    private static readonly string[] ReasonOrder =
    [
        "UnfulfilledRole", "UnfulfilledConstraint", "NoCorrespondingReservationFound", "AgentMaintenance", "InsufficientCpus",
        "InsufficientMemory", "InsufficientDisk", "InsufficientGpus", "InsufficientPorts", "DeclinedScarceResources",
    ];

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v2/queue", (HttpContext context, ApiServices api, TimeProvider time) =>
        {
            var snapshot = api.Orchestrator.Snapshot;
            var now = Harrier.Core.Time.Timestamp.From(time.GetUtcNow());
            var principal = context.Principal();
            var format = WireFormat.Of(context.Request);
            return JsonResponse.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("queue");
                foreach (var app in snapshot.Apps.Values.Where(a => principal.CanRead(a.Id)))
                {
                    var waiting = snapshot.InstancesOf(app.Id).Where(i => i.Goal == Goal.Running && i.Condition == Condition.Scheduled).ToList();
                    if (waiting.Count == 0)
                    {
                        continue;
                    }
                    var stats = snapshot.Queue.TryGetValue(app.Id, out var q) ? q : QueueStats.Empty;
                    var delay = snapshot.Delays.TryGetValue(app.Id, out var d) && d.ConfigVersion == app.VersionInfo.LastConfigChangeAt ? d.Delay : null;
                    w.WriteStartObject();
                    w.WriteNumber("count", waiting.Count);
                    w.WriteString("role", app.Role);
                    w.WriteStartObject("delay");
                    var left = delay is null ? 0 : Math.Max(0, (delay.Deadline.UnixMilliseconds - now.UnixMilliseconds) / 1000);
                    w.WriteNumber("timeLeftSeconds", left);
                    w.WriteBoolean("overdue", Backoff.IsOverdue(delay, now));
                    w.WriteEndObject();
                    w.WriteString("since", waiting.Min(i => i.Since).ToString());
                    w.WriteStartObject("processedOffersSummary");
                    w.WriteNumber("processedOffersCount", stats.ProcessedOffers);
                    w.WriteNumber("unusedOffersCount", stats.UnusedOffers);
                    if (stats.LastUnusedOfferAt is { } lu)
                    {
                        w.WriteString("lastUnusedOfferAt", lu.ToString());
                    }
                    if (stats.LastUsedOfferAt is { } lused)
                    {
                        w.WriteString("lastUsedOfferAt", lused.ToString());
                    }
                    w.WriteStartArray("rejectSummaryLastOffers");
                    foreach (var reason in ReasonOrder)
                    {
                        w.WriteStartObject();
                        w.WriteString("reason", reason);
                        w.WriteNumber("declined", stats.RejectReasons.GetValueOrDefault(reason));
                        w.WriteNumber("processed", stats.ProcessedOffers);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteStartArray("rejectSummaryLaunchAttempt");
                    w.WriteEndArray();
                    w.WriteEndObject();
                    w.WritePropertyName("app");
                    AppJsonWriter.Write(w, app);
                    if (format.Extensions)
                    {
                        HarrierExtensions.WriteQueueReason(w, snapshot, app.Id, now);
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            });
        });
        routes.MapDelete("/v2/queue/{**rest}", async (HttpContext context, string rest, ApiServices api) =>
        {
            if (!rest.EndsWith("/delay", StringComparison.Ordinal))
            {
                await JsonResponse.MessageAsync(context, 404, "Not Found");
                return;
            }
            var id = PathId.Parse(rest[..^"/delay".Length]);
            var (_, ok) = await CommandResponses.RunAsync<object>(context, api, new ResetDelayCommand(id));
            if (ok)
            {
                context.Response.StatusCode = 204;
            }
        });
    }
}
