using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Harrier.LoadBalancer.Draining;

/// <summary>
/// Keeps this balancer registered with the server and answers its drain requests: every task the server is about to
/// kill is drained here (<see cref="drain"/>: set to drain in HAProxy, wait for its sessions, bounded) and then
/// confirmed, so the server kills only what no balancer still sends traffic to. Each request drains on its own, so a
/// slow one never delays the others; a request already in progress is not started twice (the server lists it until
/// it is confirmed). Against a Marathon (no registry) it stays idle and says so.
/// </summary>
internal sealed partial class DrainCoordinator(
    BalancerRegistry registry,
    IReadOnlyList<string> groups,
    string? statsUrl,
    Func<DrainRequest, CancellationToken, Task> drain,
    TimeProvider time,
    ILogger logger)
{
    private readonly ConcurrentDictionary<string, byte> inFlight = new(StringComparer.Ordinal);

    /// <summary>"registered", "unsupported" (no registry on the server), or the last failure.</summary>
    public string State { get; private set; } = "starting";

    public long Confirmed => Interlocked.Read(ref confirmed);

    private long confirmed;

    public async Task RunAsync(CancellationToken ct)
    {
        var retry = TimeSpan.FromSeconds(1);
        var registered = false;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await registry.RegisterAsync(groups, statsUrl, ct);
                registered = true;
                retry = TimeSpan.FromSeconds(1);
                if (State != "registered")
                {
                    LogRegistered(logger);
                }
                State = "registered";
                while (!ct.IsCancellationRequested && await registry.PollAsync(ct) is { } requests)
                {
                    foreach (var request in requests)
                    {
                        if (inFlight.TryAdd(request.TaskId, 0))
                        {
                            _ = DrainAndConfirmAsync(request, ct);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (RegistryMissingException e)
            {
                if (State != "unsupported")
                {
                    LogUnsupported(logger, e.Message);
                }
                State = "unsupported";
                await DelayAsync(TimeSpan.FromSeconds(60), ct);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
            {
                State = e.Message;
                LogRegistryFailed(logger, e.Message);
                await DelayAsync(retry, ct);
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
        if (registered)
        {
            try
            {
                await registry.DeregisterAsync(CancellationToken.None);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                // The lease ends it anyway.
            }
        }
    }

    private async Task DrainAndConfirmAsync(DrainRequest request, CancellationToken ct)
    {
        try
        {
            var started = time.GetTimestamp();
            await drain(request, ct);
            await registry.ConfirmAsync([request.TaskId], ct);
            Interlocked.Increment(ref confirmed);
            LogConfirmed(logger, request.TaskId, time.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or InvalidOperationException)
        {
            LogConfirmFailed(logger, request.TaskId, e.Message);
        }
        finally
        {
            inFlight.TryRemove(request.TaskId, out _);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered with the server's balancer registry: kills of tasks this balancer fronts wait for its drain")]
    private static partial void LogRegistered(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Reason}: draining confirmation is off (a Marathon kills without asking)")]
    private static partial void LogUnsupported(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The balancer registry failed ({Error}); retrying")]
    private static partial void LogRegistryFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained task {TaskId} and confirmed it in {Milliseconds} ms")]
    private static partial void LogConfirmed(ILogger logger, string taskId, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Draining task {TaskId} failed ({Error}); the server's timeout decides")]
    private static partial void LogConfirmFailed(ILogger logger, string taskId, string error);
}
