using Harrier.Core.Apps;

namespace Harrier.Protocol;

/// <summary>
/// One health check to run next to a task. <see cref="Port"/> is resolved by the server (the check's fixed
/// <c>port</c>, else the host port at <c>portIndex</c>, default 0); null for COMMAND checks or when the app has no
/// ports. <see cref="Index"/> is the check's position in the app's <c>healthChecks</c>.
/// </summary>
public sealed record TaskHealthCheck(int Index, HealthCheckSpec Spec, int? Port);
