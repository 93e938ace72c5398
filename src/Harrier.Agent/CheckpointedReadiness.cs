using Harrier.Core.Apps;
using Harrier.Protocol;

namespace Harrier.Agent;

/// <summary>A <see cref="TaskReadinessCheck"/> in the checkpoint's JSON shape (plain arrays instead of ValueList).</summary>
internal sealed record CheckpointedReadiness(
    string Name,
    string Protocol,
    string Path,
    string PortName,
    int IntervalSeconds,
    int TimeoutSeconds,
    int[] StatusCodes,
    bool PreserveLastResponse,
    int Port)
{
    public static CheckpointedReadiness From(TaskReadinessCheck c) => new(
        c.Spec.Name, c.Spec.Protocol, c.Spec.Path, c.Spec.PortName, c.Spec.IntervalSeconds, c.Spec.TimeoutSeconds,
        [.. c.Spec.HttpStatusCodesForReady], c.Spec.PreserveLastResponse, c.Port);

    public TaskReadinessCheck ToCheck() => new(
        new ReadinessCheckSpec
        {
            Name = Name,
            Protocol = Protocol,
            Path = Path,
            PortName = PortName,
            IntervalSeconds = IntervalSeconds,
            TimeoutSeconds = TimeoutSeconds,
            HttpStatusCodesForReady = StatusCodes,
            PreserveLastResponse = PreserveLastResponse,
        },
        Port);
}
