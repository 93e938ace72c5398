namespace Harrier.LoadBalancer.Tests.Zdd;

/// <summary>
/// A clock that jumps ahead by each timer's due time and fires it at once, so zdd's step delays and
/// <c>--max-wait</c> bounds run in fake time: a 300 s wait takes as many loop turns as it has steps, not 300 s.
/// </summary>
internal sealed class SteppingTimeProvider : TimeProvider
{
    private long _ticks = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero).UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class Timer(SteppingTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        private bool _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (_disposed || dueTime == Timeout.InfiniteTimeSpan)
            {
                return !_disposed;
            }
            Interlocked.Add(ref clock._ticks, Math.Max(0, dueTime.Ticks));
            ThreadPool.QueueUserWorkItem(_ =>
            {
                if (!_disposed)
                {
                    callback(state);
                }
            });
            return true;
        }

        public void Dispose() => _disposed = true;

        public ValueTask DisposeAsync()
        {
            _disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
