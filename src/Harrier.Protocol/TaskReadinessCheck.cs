using Harrier.Core.Apps;

namespace Harrier.Protocol;

/// <summary>The app's readiness check with its port resolved by the server (the host port of <c>portName</c>).</summary>
public sealed record TaskReadinessCheck(ReadinessCheckSpec Spec, int Port);
