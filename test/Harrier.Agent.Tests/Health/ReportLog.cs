using System.Collections.Concurrent;
using Harrier.Protocol;
using Harrier.Testing;

namespace Harrier.Agent.Tests.Health;

/// <summary>The reports a scheduler sent, in order, with bounded waits on them.</summary>
internal sealed class ReportLog
{
    public ConcurrentQueue<TaskHealthReport> Reports { get; } = new();

    public ValueTask SendAsync(TaskHealthReport report, CancellationToken cancellationToken)
    {
        Reports.Enqueue(report);
        return ValueTask.CompletedTask;
    }

    public async Task<IReadOnlyList<TaskHealthReport>> WaitForCountAsync(int count, double seconds = 15)
    {
        await Eventually.TrueAsync(() => Reports.Count >= count, TimeSpan.FromSeconds(seconds), $"{count} health reports (have {Reports.Count})");
        return [.. Reports];
    }
}
