namespace Harrier.LoadBalancer.Zdd;

/// <summary>
/// One line of HAProxy's CSV stats, the columns zdd reads. <see cref="QueueCurrent"/> and
/// <see cref="SessionsCurrent"/> are null when the field was not a number (an empty field is 0, as HAProxy leaves
/// them empty for proxies without the counter); such a server never counts as drained.
/// </summary>
internal sealed record HaproxyStatsRow(string Proxy, string Server, string Status, int? QueueCurrent, int? SessionsCurrent)
{
    /// <summary>A server line (not the proxy's FRONTEND/BACKEND summary).</summary>
    public bool IsServer => Server is not ("BACKEND" or "FRONTEND");

    /// <summary>Taking traffic: <c>UP</c>, or <c>no check</c> (a server without health checks is used as up).</summary>
    public bool IsUp => Status is "UP" or "no check";

    /// <summary>Disabled (<c>MAINT</c>, also <c>MAINT(via)</c>) or set to drain through the runtime API (<c>DRAIN</c>).</summary>
    public bool IsDraining => Status.StartsWith("MAINT", StringComparison.Ordinal) || Status.StartsWith("DRAIN", StringComparison.Ordinal);

    /// <summary>Draining and no queued request nor open session left.</summary>
    public bool IsDrained => IsDraining && QueueCurrent == 0 && SessionsCurrent == 0;
}
