using Harrier.Drivers;
using Harrier.Protocol;

namespace Harrier.Agent.Health;

/// <summary>
/// Where and how a task's checks run: the task shares the host's network, so HTTP and TCP checks go to loopback;
/// COMMAND checks run in the task's sandbox with the task's environment as the task's <see cref="User"/>, or, for a
/// task in a container, inside the container (<see cref="Exec"/>: its namespaces and its process user), as Mesos
/// runs them.
/// </summary>
internal sealed record CheckTarget(IReadOnlyDictionary<string, string> Environment, string Sandbox, Func<IDriverTaskExec?>? Exec = null, string? User = null)
{
    public static CheckTarget For(TaskLaunch launch, string sandbox, Func<IDriverTaskExec?>? exec = null) =>
        launch.Container is { HasImage: true }
            ? new(TaskEnvironment.ForContainer(launch, Launch.VolumesStep.ContainerSandbox), sandbox, exec)
            : new(TaskEnvironment.For(launch, sandbox), sandbox, User: launch.User);
}
