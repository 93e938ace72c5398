namespace Harrier.LoadBalancer.Draining;

/// <summary>A task the server is about to kill and waits for this balancer to drain.</summary>
internal sealed record DrainRequest(string TaskId, string AppId);
