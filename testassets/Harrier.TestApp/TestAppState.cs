namespace Harrier.TestApp;

/// <summary>What /health and /ready answer; flipped at runtime by the POST endpoints, read concurrently by requests.</summary>
internal sealed class TestAppState(TestAppOptions options, TimeProvider time)
{
    private readonly long _startedAt = time.GetTimestamp();
    private volatile int _healthStatus = options.HealthStatus;
    private volatile bool _ready = options.Ready;

    public int HealthStatus
    {
        get => _healthStatus;
        set => _healthStatus = value;
    }

    /// <summary>False while the explicit flag says not ready or the <c>--ready-after-ms</c> warm-up has not elapsed.</summary>
    public bool Ready => _ready && time.GetElapsedTime(_startedAt).TotalMilliseconds >= options.ReadyAfterMs;

    public void SetReady(bool ready) => _ready = ready;
}
