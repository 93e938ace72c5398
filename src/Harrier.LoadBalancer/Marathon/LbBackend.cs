namespace Harrier.LoadBalancer.Marathon;

/// <summary>One task port behind a service: agent host name, the address HAProxy connects to, and the port.</summary>
/// <param name="TaskId">Null for services built directly (unit tests of the config step).</param>
/// <param name="AppId">The task's own app id (before a blue/green rename); null like <paramref name="TaskId"/>.</param>
internal sealed record LbBackend(string Host, string Ip, int Port, bool Draining, string? TaskId = null, string? AppId = null);
