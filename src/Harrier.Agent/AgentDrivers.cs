using Harrier.Drivers;
using Harrier.Protocol;

namespace Harrier.Agent;

/// <summary>
/// The drivers this agent has, and which one runs a task: a launch with a container image goes to the OCI driver,
/// anything else to the process driver; with the fake driver configured, every task goes to it. A recovered task
/// goes back to the driver named in its handle.
/// </summary>
internal sealed class AgentDrivers(IReadOnlyDictionary<string, ITaskDriver> drivers, string defaultDriver)
{
    public IEnumerable<ITaskDriver> All => drivers.Values;

    /// <summary>The driver names an agent advertises.</summary>
    public IReadOnlyCollection<string> Names => [.. drivers.Keys];

    public ITaskDriver? For(TaskLaunch launch)
    {
        if (defaultDriver == "fake" || launch.Container is not { HasImage: true })
        {
            return drivers.GetValueOrDefault(defaultDriver);
        }
        return drivers.GetValueOrDefault("oci");
    }

    public ITaskDriver? ByName(string name) => drivers.GetValueOrDefault(name) ?? (defaultDriver == "fake" ? drivers.GetValueOrDefault("fake") : null);
}
