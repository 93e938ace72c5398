using Harrier.Core.Collections;

namespace Harrier.Core.Apps;

public sealed record ReadinessCheckSpec
{
    public string Name { get; init; } = "readinessCheck";
    public string Protocol { get; init; } = "HTTP";
    public string Path { get; init; } = "/";
    public string PortName { get; init; } = "http-api";
    public int IntervalSeconds { get; init; } = 30;
    public int TimeoutSeconds { get; init; } = 10;
    public ValueList<int> HttpStatusCodesForReady { get; init; } = new[] { 200 };
    public bool PreserveLastResponse { get; init; }
}
