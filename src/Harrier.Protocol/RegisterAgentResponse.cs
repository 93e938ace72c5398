namespace Harrier.Protocol;

/// <param name="HeartbeatIntervalMs">How often the server wants heartbeats (it marks an agent unreachable after a few missed ones).</param>
public sealed record RegisterAgentResponse(bool Accepted, string? Error = null, int? HeartbeatIntervalMs = null);
