using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Harrier.LoadBalancer.Watch;

/// <summary>
/// Follows a server's apps as marathon-lb's SSE mode did: any of the three events it subscribes to only marks a
/// re-read as pending; one reader fetches <c>/v2/apps?embed=apps.tasks</c> whole and hands it on, coalescing the
/// events that arrive meanwhile into the next read. A connected stream, a reconnect, a signal (<see cref="RequestReset"/>)
/// or 300 s without one also trigger a read. The stream reconnects after a random share of a backoff that starts at
/// 3 s, grows ×1.5 per failure up to <c>--max-backoff</c> and resets once a stream lived 10 minutes. While the server
/// is unreachable the last state stays in force (the callback is simply not called).
/// </summary>
internal sealed partial class AppsWatcher(
    MarathonClient client,
    Func<string, CancellationToken, Task> onApps,
    TimeProvider time,
    ILogger logger,
    TimeSpan maxBackoff)
{
    public static readonly TimeSpan QuietReset = TimeSpan.FromSeconds(300);
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(46);
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan HealthyStream = TimeSpan.FromMinutes(10);

    private readonly Channel<bool> pending = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Reads completed (for metrics and tests).</summary>
    public long Reads { get; private set; }

    /// <summary>When the last read succeeded (null before the first).</summary>
    public DateTimeOffset? LastRead { get; private set; }

    /// <summary>The last read's failure, null once a read succeeds again.</summary>
    public string? LastError { get; private set; }

    /// <summary>Asks for a full re-read (SIGHUP, <c>/_mlb_signal/hup</c>, a relevant event).</summary>
    public void RequestReset()
    {
        // Already pending: the write is dropped and the next read covers this request too.
        pending.Writer.TryWrite(true);
    }

    public Task RunAsync(CancellationToken ct) => Task.WhenAll(StreamLoopAsync(ct), ReadLoopAsync(ct));

    private async Task ReadLoopAsync(CancellationToken ct)
    {
        var retry = TimeSpan.FromMilliseconds(250);
        RequestReset();
        while (!ct.IsCancellationRequested)
        {
            using (var quiet = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                var wait = pending.Reader.WaitToReadAsync(quiet.Token).AsTask();
                var timer = Task.Delay(QuietReset, time, quiet.Token);
                await Task.WhenAny(wait, timer);
                await quiet.CancelAsync();
                if (ct.IsCancellationRequested)
                {
                    return;
                }
                pending.Reader.TryRead(out _);
            }
            string body;
            try
            {
                body = await client.ReadAppsAsync(ReadTimeout, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or InvalidDataException or TimeoutException)
            {
                LastError = e.Message;
                LogReadFailed(logger, e.Message, retry.TotalSeconds);
                await DelayAsync(retry, ct);
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
                RequestReset();
                continue;
            }
            retry = TimeSpan.FromMilliseconds(250);
            LastError = null;
            LastRead = time.GetUtcNow();
            Reads++;
            try
            {
                await onApps(body, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // One bad body or apply must never stop the balancer following its server.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LastError = e.Message;
                LogApplyFailed(logger, e.GetType().Name, e.Message);
            }
        }
    }

    private async Task StreamLoopAsync(CancellationToken ct)
    {
        var backoff = FirstBackoff;
        while (!ct.IsCancellationRequested)
        {
            var connectedAt = time.GetUtcNow();
            try
            {
                var first = true;
                await foreach (var type in client.EventsAsync(ConnectTimeout, ct).WithCancellation(ct))
                {
                    if (first)
                    {
                        first = false;
                        LogStreamConnected(logger, client.Current.ToString());
                    }
                    _ = type;
                    RequestReset();
                }
                LogStreamEnded(logger, client.Current.ToString());
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or InvalidDataException or TimeoutException or IOException or OperationCanceledException)
            {
                LogStreamFailed(logger, e.Message);
            }
            if (time.GetUtcNow() - connectedAt >= HealthyStream)
            {
                backoff = FirstBackoff;
            }
            var wait = TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * backoff.Ticks));
            backoff = TimeSpan.FromTicks(Math.Min((long)(backoff.Ticks * 1.5), Math.Max(maxBackoff.Ticks, FirstBackoff.Ticks)));
            await DelayAsync(wait, ct);
            // Events may have been missed while disconnected: read everything again.
            RequestReset();
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, time, ct);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the apps failed ({Error}); keeping the last state, retrying in {Seconds} s")]
    private static partial void LogReadFailed(ILogger logger, string error, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Applying the apps failed ({Type}: {Error}); the next read tries again")]
    private static partial void LogApplyFailed(ILogger logger, string type, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Following events from {Server}")]
    private static partial void LogStreamConnected(ILogger logger, string server);

    [LoggerMessage(Level = LogLevel.Information, Message = "The event stream from {Server} ended; reconnecting")]
    private static partial void LogStreamEnded(ILogger logger, string server);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The event stream failed ({Error}); reconnecting after a backoff")]
    private static partial void LogStreamFailed(ILogger logger, string error);
}
