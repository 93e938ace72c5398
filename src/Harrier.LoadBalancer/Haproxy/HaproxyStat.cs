namespace Harrier.LoadBalancer.Haproxy;

/// <summary>
/// One row of <c>show stat</c> (a frontend, a backend or a server), the fields the balancer's metrics and drain
/// confirmation read. Numbers HAProxy leaves empty read as 0.
/// </summary>
/// <param name="Proxy"><c>pxname</c>: frontend or backend name.</param>
/// <param name="Server"><c>svname</c>: server name, or <c>FRONTEND</c> / <c>BACKEND</c>.</param>
/// <param name="Type"><c>type</c>: 0 frontend, 1 backend, 2 server, 3 listener.</param>
/// <param name="ProxyId"><c>iid</c>: the proxy's numeric id (a frontend and a backend may share a name, never an id).</param>
public sealed record HaproxyStat(
    string Proxy,
    string Server,
    int Type,
    int ProxyId,
    string Status,
    long Weight,
    long Scur,
    long Qcur,
    long Stot,
    long ReqTot,
    long Hrsp1xx,
    long Hrsp2xx,
    long Hrsp3xx,
    long Hrsp4xx,
    long Hrsp5xx,
    long Ereq,
    long Eresp,
    long Econ,
    long Qtime,
    long Ctime,
    long Rtime,
    long Ttime)
{
    public bool IsServer => Type == 2;
}
