using Harrier.Core.Collections;
using Harrier.Core.Health;
using Harrier.Core.Ids;
using Harrier.Core.Time;

namespace Harrier.Protocol;

/// <summary>
/// The current check state of one running task, sent by the agent whenever it changes: a counted failure, a flip of
/// <c>alive</c>, a success after failures, a readiness change; and again for every running task after each
/// registration (health is soft state: the server keeps it in memory only). Failures ignored under the grace period
/// and 1xx answers with <c>ignoreHttp1xx</c> change nothing and send nothing.
/// <see cref="KillRequested"/> holds the indexes of checks whose <see cref="HealthKillRule"/> says "kill" with this
/// report; the server decides whether to act (the circuit breaker may hold kills back). The agent never kills a task
/// for health on its own.
/// </summary>
public sealed record TaskHealthReport(
    AgentId AgentId,
    TaskId TaskId,
    Timestamp Timestamp,
    ValueList<HealthCheckResult> Health,
    ReadinessCheckResult? Readiness = null,
    ValueList<int> KillRequested = default);
