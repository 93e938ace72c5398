using Harrier.Core.Ids;
using Harrier.Protocol;

namespace Harrier.Server.Balancers;

/// <summary>
/// One kill held back until balancers confirm they drained its task. Mutable; only touched under
/// <see cref="BalancerRegistry"/>'s lock.
/// </summary>
internal sealed class KillHold(AgentId agent, KillTaskCommand command, InstanceId instance, DrainRequest request)
{
    public AgentId Agent { get; } = agent;

    public KillTaskCommand Command { get; } = command;

    public InstanceId Instance { get; } = instance;

    public DrainRequest Request { get; } = request;

    /// <summary>The balancers that have not confirmed yet (those registered and fronting the app when it was decided).</summary>
    public HashSet<string> Waiting { get; } = new(StringComparer.Ordinal);

    public bool Ended { get; set; }
}
