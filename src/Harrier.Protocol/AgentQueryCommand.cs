using Harrier.Core.Collections;

namespace Harrier.Protocol;

/// <summary>
/// The server asks an agent something on behalf of an API client (its images, its containers' statistics). The
/// agent answers once with <see cref="IAgentGateway.AnswerQueryAsync"/> under the same request id. Queries are in
/// <see cref="AgentQueries"/>; an agent that does not know one answers 404.
/// </summary>
public sealed record AgentQueryCommand(Guid RequestId, string Query, ValueMap<string> Arguments) : AgentCommand;
