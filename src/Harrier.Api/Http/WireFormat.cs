using Microsoft.AspNetCore.Http;

namespace Harrier.Api.Http;

/// <summary>
/// What a request gets on the wire: Marathon 1.11's shapes exactly (the default), or those plus Harrier's extensions
/// (<see cref="Extensions"/>, asked for with the request header <c>Harrier-Extensions: true</c>). Every Marathon-shaped
/// writer takes this value and leaves its extension fields to <c>Json/Extensions/</c>; Harrier's own paths
/// (<c>/v2/agents</c>, <c>/harrier/…</c>, task logs) always answer in full and do not read it. A header rather than a
/// query parameter: it leaves Marathon's URLs and their parameters alone, and a client sets it once for every call
/// (an event-stream client that authenticates sends headers anyway).
/// </summary>
/// <param name="Extensions">Harrier's additions: wait reasons, change classes, agent counts, Harrier-only events.</param>
/// <param name="FullPlans">Deployment events carry the plan's <c>original</c> and <c>target</c> root groups
/// (<c>plan-format=full</c>, the default); <c>plan-format=light</c> sends only <c>id</c>, <c>steps</c>, <c>version</c>.</param>
internal sealed record WireFormat(bool Extensions, bool FullPlans)
{
    /// <summary>The request header that opts in to Harrier's extensions (value <c>true</c>).</summary>
    public const string Header = "Harrier-Extensions";

    /// <summary>Marathon's shapes only, heavy plans.</summary>
    public static WireFormat Marathon { get; } = new(false, true);

    /// <summary>Marathon's shapes plus Harrier's extensions.</summary>
    public static WireFormat WithExtensions { get; } = new(true, true);

    public static WireFormat Of(HttpRequest request) => new(
        string.Equals(request.Headers[Header].ToString().Trim(), "true", StringComparison.OrdinalIgnoreCase),
        !string.Equals(request.Query["plan-format"].ToString(), "light", StringComparison.OrdinalIgnoreCase));
}
