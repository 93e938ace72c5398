using Harrier.Core.Ids;

namespace Harrier.Server.Commands;

internal sealed record AgentHeartbeatCommand(AgentId Agent) : ServerCommand
{
    internal override bool FromAgent => true;
}
