using Harrier.Core.Ids;
using Harrier.Drivers;

namespace Harrier.Agent;

/// <summary>What every <see cref="TaskRunner"/> of one agent shares.</summary>
internal sealed record AgentRunContext(
    AgentId AgentId,
    AgentCheckpoint Checkpoint,
    ITaskDriver Driver,
    UriFetcher Fetcher,
    ITaskStatusSender Sender,
    TimeProvider Time,
    Func<Guid> NewId,
    CancellationToken Stopping);
