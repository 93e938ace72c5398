using Harrier.Core.Ids;
using Harrier.Core.Resources;

namespace Harrier.Server.Commands;

/// <summary><c>drain</c> (Target Draining) or <c>undrain</c> (Target Active) an agent. Answers the new <see cref="Cluster.AgentStatus"/>.</summary>
public sealed record SetAgentModeCommand(AgentId Agent, AgentMode Target) : ServerCommand;
