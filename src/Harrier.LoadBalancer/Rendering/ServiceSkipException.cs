namespace Harrier.LoadBalancer.Rendering;

/// <summary>A service cannot be rendered (where marathon-lb raised and died); the renderer drops it with this reason.</summary>
internal sealed class ServiceSkipException(string message) : Exception(message);
