namespace Harrier.LoadBalancer.Marathon;

/// <summary>One app (or task) of the body is unusable; the reader drops it with this reason as the warning.</summary>
internal sealed class AppFormatException(string message) : Exception(message);
