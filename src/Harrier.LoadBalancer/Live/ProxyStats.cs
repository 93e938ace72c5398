namespace Harrier.LoadBalancer.Live;

/// <summary>The proxy's statistics rows (one per frontend, backend and server) and its master's and workers' PIDs.</summary>
internal sealed record ProxyStats(IReadOnlyList<ProxyStatRow> Rows, IReadOnlyList<int> Pids);
