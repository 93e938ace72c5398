using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Harrier.Bench.Lb;

/// <summary>
/// The server's <c>/v2/events</c> (health changes and task statuses), each event stamped with
/// <see cref="Stopwatch.GetTimestamp"/> on arrival: when an instance first became healthy, when a task reached a status.
/// </summary>
internal sealed class ClusterEventLog : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _attached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, long> _healthy = new();
    private readonly ConcurrentDictionary<(string TaskId, string Status), long> _statuses = new();
    private readonly Task _reader;

    private ClusterEventLog(Uri server)
    {
        _http = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        _reader = Task.Run(ReadAsync);
    }

    public static async Task<ClusterEventLog> StartAsync(Uri server)
    {
        var log = new ClusterEventLog(server);
        await log._attached.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return log;
    }

    /// <summary>When <paramref name="instanceId"/>'s first <c>alive: true</c> arrived, if it did.</summary>
    public long? HealthyAt(string instanceId) => _healthy.TryGetValue(instanceId, out var at) ? at : null;

    /// <summary>Instances that became healthy, with the arrival of the first such event.</summary>
    public IReadOnlyDictionary<string, long> Healthy => _healthy;

    /// <summary>When <paramref name="taskId"/>'s <paramref name="status"/> event arrived, if it did.</summary>
    public long? StatusAt(string taskId, string status) => _statuses.TryGetValue((taskId, status), out var at) ? at : null;

    private async Task ReadAsync()
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/events?event_type=health_status_changed_event&event_type=status_update_event");
            request.Headers.Accept.ParseAdd("text/event-stream");
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
            response.EnsureSuccessStatusCode();
            _attached.TrySetResult();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    continue;
                }
                var at = Stopwatch.GetTimestamp();
                using var doc = JsonDocument.Parse(line.AsMemory(6));
                var root = doc.RootElement;
                var type = root.TryGetProperty("eventType", out var t) ? t.GetString() : null;
                if (type == "health_status_changed_event" && root.TryGetProperty("alive", out var alive) && alive.ValueKind == JsonValueKind.True
                    && root.TryGetProperty("instanceId", out var instance) && instance.GetString() is { } id)
                {
                    _healthy.TryAdd(id, at);
                }
                else if (type == "status_update_event" && root.TryGetProperty("taskId", out var task) && root.TryGetProperty("taskStatus", out var status)
                    && task.GetString() is { } taskId && status.GetString() is { } s)
                {
                    _statuses.TryAdd((taskId, s), at);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _attached.TrySetException(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reader.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
        }
        _http.Dispose();
        _stop.Dispose();
    }
}
