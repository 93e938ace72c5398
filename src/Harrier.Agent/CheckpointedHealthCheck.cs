using Harrier.Core.Apps;

namespace Harrier.Agent;

/// <summary>A <c>TaskHealthCheck</c> in the checkpoint's JSON shape.</summary>
internal sealed record CheckpointedHealthCheck(int Index, HealthCheckSpec Spec, int? Port);
