namespace Harrier.Core.Health;

/// <summary>An HTTP response kept by a readiness check with <c>preserveLastResponse</c>.</summary>
public sealed record ReadinessResponse(int Status, string ContentType, string Body);
