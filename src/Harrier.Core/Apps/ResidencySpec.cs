namespace Harrier.Core.Apps;

public sealed record ResidencySpec(int RelaunchEscalationTimeoutSeconds = 3600, string TaskLostBehavior = "WAIT_FOREVER");
