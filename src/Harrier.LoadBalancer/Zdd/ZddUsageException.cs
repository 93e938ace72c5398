namespace Harrier.LoadBalancer.Zdd;

/// <summary>A wrong command line (exit 64).</summary>
internal sealed class ZddUsageException(string message) : Exception(message);
