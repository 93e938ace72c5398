using Harrier.Protocol;

namespace Harrier.Server.Commands;

internal sealed record AgentRegisterCommand(RegisterAgentRequest Request) : ServerCommand
{
    internal override bool FromAgent => true;
}
