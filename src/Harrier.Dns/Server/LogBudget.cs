namespace Harrier.Dns.Server;

/// <summary>
/// At most <c>perMinute</c> problem messages a minute, so a client sending garbage cannot flood the log; the count of
/// those left out is reported once the next minute starts. Thread-safe.
/// </summary>
internal sealed class LogBudget(TimeProvider time, int perMinute = 20)
{
    private readonly Lock _lock = new();
    private long _windowStart = long.MinValue;
    private int _used;
    private long _suppressed;

    /// <summary>True when a message may be written now; <paramref name="suppressedBefore"/> is how many the previous
    /// window dropped (report it first), else 0.</summary>
    public bool TryTake(out long suppressedBefore)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            suppressedBefore = 0;
            if (_windowStart == long.MinValue || time.GetElapsedTime(_windowStart, now) >= TimeSpan.FromMinutes(1))
            {
                _windowStart = now;
                _used = 0;
                suppressedBefore = _suppressed;
                _suppressed = 0;
            }
            if (_used < perMinute)
            {
                _used++;
                return true;
            }
            _suppressed++;
            return false;
        }
    }
}
