namespace Harrier.LoadBalancer.Haproxy;

/// <summary>The master and its workers as the master CLI's <c>show proc</c> lists them.</summary>
/// <param name="Master">The master's PID.</param>
/// <param name="Workers">The current workers (the one serving the loaded configuration).</param>
/// <param name="OldWorkers">Workers of earlier configurations still finishing their connections.</param>
/// <param name="Reloads">How many times the master reloaded.</param>
/// <param name="FailedReloads">How many of those reloads failed (the previous workers kept serving).</param>
public sealed record HaproxyProcesses(int Master, IReadOnlyList<int> Workers, IReadOnlyList<int> OldWorkers, int Reloads, int FailedReloads);
