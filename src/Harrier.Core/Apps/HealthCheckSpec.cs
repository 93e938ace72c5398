namespace Harrier.Core.Apps;

/// <summary>An app health check with Marathon's defaults.</summary>
public sealed record HealthCheckSpec
{
    public HealthCheckProtocol Protocol { get; init; } = HealthCheckProtocol.Http;
    public string? Path { get; init; }
    public int? PortIndex { get; init; }
    public int? Port { get; init; }
    public string? Command { get; init; }
    public int GracePeriodSeconds { get; init; } = 300;
    public int IntervalSeconds { get; init; } = 60;
    public int TimeoutSeconds { get; init; } = 20;
    public int MaxConsecutiveFailures { get; init; } = 3;
    public int DelaySeconds { get; init; } = 15;
    public bool IgnoreHttp1xx { get; init; }
    public string IpProtocol { get; init; } = "IPv4";
}
