using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Harrier.Bench;

/// <summary>
/// Reads <c>GET /v2/events?event_type=status_update_event</c> in the background and notes, per task, when each
/// status first arrived (<see cref="Stopwatch.GetTimestamp"/> of this process, so comparable with a POST's).
/// </summary>
internal sealed class StatusEvents : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private readonly ConcurrentDictionary<(string TaskId, string Status), (string AppId, long At, string Message)> _seen = new();
    private readonly TaskCompletionSource _attached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private StatusEvents(Uri baseAddress)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        _reader = Task.Run(ReadAsync);
    }

    /// <summary>Subscribes and returns once the server answered the request (events after that are seen).</summary>
    public static async Task<StatusEvents> StartAsync(Uri baseAddress)
    {
        var events = new StatusEvents(baseAddress);
        await events._attached.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return events;
    }

    /// <summary>An error that ended the stream early, if any.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Tasks of <paramref name="appId"/> with <paramref name="status"/>, and when each first arrived.</summary>
    public IReadOnlyDictionary<string, long> Tasks(string appId, string status) =>
        _seen.Where(e => e.Key.Status == status && e.Value.AppId == appId).ToDictionary(e => e.Key.TaskId, e => e.Value.At);

    /// <summary>Terminal statuses of <paramref name="appId"/>'s tasks (for failing fast).</summary>
    public IReadOnlyList<string> Failures(string appId) =>
        [.. _seen.Where(e => e.Value.AppId == appId && e.Key.Status is "TASK_FAILED" or "TASK_ERROR" or "TASK_DROPPED" or "TASK_LOST" or "TASK_GONE")
            .Select(e => $"{e.Key.TaskId} {e.Key.Status}: {e.Value.Message}")];

    private async Task ReadAsync()
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/events?event_type=status_update_event");
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
                if (root.TryGetProperty("taskId", out var task) && root.TryGetProperty("taskStatus", out var status) && root.TryGetProperty("appId", out var app))
                {
                    var message = root.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
                    _seen.TryAdd((task.GetString()!, status.GetString()!), (app.GetString()!, at, message));
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Failure = e;
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
