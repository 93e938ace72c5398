namespace Harrier.Core.Resources;

/// <summary>
/// An operator's say over an agent (Mesos' maintenance modes): <see cref="Draining"/> gets no new instances and has
/// its instances moved off; <see cref="Maintenance"/> is drained and stays empty until undrained.
/// </summary>
public enum AgentMode
{
    Active,
    Draining,
    Maintenance,
}
