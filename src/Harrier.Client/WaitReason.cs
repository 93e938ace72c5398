using System.Text.Json.Nodes;

namespace Harrier.Client;

/// <summary>
/// Harrier's structured reason a deployment action or a queued app is waiting (<c>reason</c> in
/// <c>/v2/deployments</c> and <c>/v2/queue</c>): its <see cref="Type"/> (e.g. <c>HealthFailing</c>), since when, a
/// readable message, and the type-specific fields in <see cref="Raw"/>.
/// </summary>
public sealed record WaitReason(string Type, string? Since, double ForSeconds, string Message, JsonObject Raw)
{
    public static WaitReason? FromJson(JsonObject? o) =>
        o is null ? null : new WaitReason(o.Str("type") ?? "", o.Str("since"), o.Number("forSeconds") ?? 0, o.Str("message") ?? "", o);
}
