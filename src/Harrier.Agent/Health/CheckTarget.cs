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
    /// <summary>The task's host ports: a check on one of them goes to loopback (mapped into the task's namespace when it
    /// has one); a check on any other port goes to the task's own address (a container port on a container network).</summary>
    public IReadOnlyCollection<int> HostPorts { get; init; } = [];

    /// <summary>The task's address on its first network, once known; null with host networking.</summary>
    public Func<System.Net.IPAddress?> TaskAddress { get; init; } = () => null;

    /// <summary>Where a probe of <paramref name="port"/> connects (loopback unless it must reach the task's own address).</summary>
    public System.Net.IPAddress AddressFor(int port, bool ipv6) =>
        !HostPorts.Contains(port) && TaskAddress() is { } task ? task : ipv6 ? System.Net.IPAddress.IPv6Loopback : System.Net.IPAddress.Loopback;

    public static CheckTarget For(TaskLaunch launch, string sandbox, Func<IDriverTaskExec?>? exec = null, Func<IReadOnlyList<string>>? ipAddresses = null)
    {
        var target = launch.Container is { HasImage: true }
            ? new CheckTarget(TaskEnvironment.ForContainer(launch, Launch.VolumesStep.ContainerSandbox), sandbox, exec)
            : new CheckTarget(TaskEnvironment.For(launch, sandbox), sandbox, User: launch.User);
        return target with
        {
            HostPorts = [.. launch.HostPorts],
            TaskAddress = () => ipAddresses?.Invoke() is [var first, ..] && System.Net.IPAddress.TryParse(first, out var ip) ? ip : null,
        };
    }
}
