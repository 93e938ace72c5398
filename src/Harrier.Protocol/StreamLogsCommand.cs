using Harrier.Core.Ids;

namespace Harrier.Protocol;

/// <summary>
/// The server wants a task's sandbox log for an API client (<c>harrier logs</c>): the agent answers with
/// <see cref="IAgentGateway.UploadLogsAsync"/> under the same request id, the last <see cref="Tail"/> lines (all when
/// null) and, with <see cref="Follow"/>, what is written after, until the server stops reading.
/// </summary>
public sealed record StreamLogsCommand(Guid RequestId, TaskId TaskId, string Stream, int? Tail, bool Follow) : AgentCommand;
