using Harrier.Core.Ids;

namespace Harrier.Protocol;

/// <summary>Reads a task's sandbox logs (stdout or stderr), as the agent that ran it stores them.</summary>
public interface ITaskLogReader
{
    /// <summary>
    /// Streams the log: the last <paramref name="tail"/> lines (all when null), then, with <paramref name="follow"/>,
    /// new data as it is written until cancelled or the task has ended and the file is drained.
    /// Returns null when the agent has no sandbox for that task.
    /// </summary>
    IAsyncEnumerable<ReadOnlyMemory<byte>>? ReadAsync(TaskId taskId, string stream, int? tail, bool follow, CancellationToken cancellationToken);
}
