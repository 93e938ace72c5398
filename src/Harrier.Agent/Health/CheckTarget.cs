using Harrier.Protocol;

namespace Harrier.Agent.Health;

/// <summary>
/// Where and how a task's checks run: the task shares the host's network, so HTTP and TCP checks go to loopback;
/// COMMAND checks run in the task's sandbox with the task's environment.
/// </summary>
internal sealed record CheckTarget(IReadOnlyDictionary<string, string> Environment, string Sandbox)
{
    public static CheckTarget For(TaskLaunch launch, string sandbox) => new(TaskEnvironment.For(launch, sandbox), sandbox);
}
