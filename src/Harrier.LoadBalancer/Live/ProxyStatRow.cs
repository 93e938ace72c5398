namespace Harrier.LoadBalancer.Live;

/// <summary>
/// One row of HAProxy's <c>show stat</c>: a proxy (<see cref="Proxy"/>) and <c>FRONTEND</c>, <c>BACKEND</c> or a
/// server name, with the counters the balancer's metrics use (times in milliseconds, averages over the last 1,024
/// requests, as HAProxy keeps them).
/// </summary>
internal sealed record ProxyStatRow(
    string Proxy,
    string Name,
    string Status,
    long CurrentSessions,
    long TotalSessions,
    long Requests,
    long Responses5xx,
    long ConnectionErrors,
    long ResponseErrors,
    long QueueTimeMs,
    long ConnectTimeMs,
    long ResponseTimeMs,
    long TotalTimeMs)
{
    public bool IsBackend => Name == "BACKEND";

    public bool IsServer => Name is not ("BACKEND" or "FRONTEND");
}
