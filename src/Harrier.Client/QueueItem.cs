using System.Text.Json.Nodes;

namespace Harrier.Client;

/// <summary>An entry of <c>GET /v2/queue</c> (§2.6): an app or pod with instances still waiting to launch.</summary>
public sealed record QueueItem(
    string RunSpecId,
    bool IsPod,
    int Count,
    string? Role,
    double? DelaySecondsLeft,
    bool? Overdue,
    string? Since,
    int? ProcessedOffers,
    int? UnusedOffers,
    JsonObject Raw)
{
    public static QueueItem FromJson(JsonObject o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var pod = o.Obj("pod");
        var delay = o.Obj("delay");
        var offers = o.Obj("processedOffersSummary");
        return new QueueItem(
            (pod ?? o.Obj("app"))?.Str("id") ?? "",
            pod is not null,
            o.Int("count") ?? 0,
            o.Str("role"),
            delay?.Number("timeLeftSeconds"),
            delay?.Bool("overdue"),
            o.Str("since"),
            offers?.Int("processedOffersCount"),
            offers?.Int("unusedOffersCount"),
            o);
    }
}
