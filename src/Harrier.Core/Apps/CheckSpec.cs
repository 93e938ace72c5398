namespace Harrier.Core.Apps;

/// <summary>A Mesos <c>check</c> (its result is reported, never acted on). Exactly one of the kinds is set.</summary>
public sealed record CheckSpec
{
    public CheckHttp? Http { get; init; }
    public CheckTcp? Tcp { get; init; }
    public string? ExecCommand { get; init; }
    public int IntervalSeconds { get; init; } = 60;
    public int TimeoutSeconds { get; init; } = 20;
    public int DelaySeconds { get; init; } = 15;
}
