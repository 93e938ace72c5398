namespace Harrier.Protocol;

public sealed record RegisterAgentResponse(bool Accepted, string? Error = null);
