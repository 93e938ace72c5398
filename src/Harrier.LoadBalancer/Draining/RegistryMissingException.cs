namespace Harrier.LoadBalancer.Draining;

/// <summary>The server has no balancer registry (a Marathon, or a Harrier before it): draining confirmation is off.</summary>
internal sealed class RegistryMissingException(string message) : Exception(message);
