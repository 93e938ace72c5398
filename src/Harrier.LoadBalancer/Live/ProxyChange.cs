namespace Harrier.LoadBalancer.Live;

/// <summary>What applying a config did: <see cref="ProxyChangeKind"/>, counts of runtime server changes, and the proxy's
/// error when it refused the config (the running one keeps serving).</summary>
internal sealed record ProxyChange(ProxyChangeKind Kind, int ServersAdded = 0, int ServersRemoved = 0, int ServersChanged = 0, string? Error = null);
