using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Harrier.Bench.Lb;

/// <summary>
/// A few concurrent loops that <c>GET /env</c> through the balancer's service port every few milliseconds and note,
/// per answering task (<c>MESOS_TASK_ID</c>), the arrival of its first and last answer; failed probes are counted.
/// </summary>
internal sealed class TaskProbers : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (long First, long Last)> _seen = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http;
    private readonly Task[] _loops;
    private long _ok;
    private long _failed;

    public TaskProbers(int port, int probers = 4, int intervalMs = 5)
    {
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = probers })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
            Timeout = TimeSpan.FromSeconds(5),
        };
        _loops = [.. Enumerable.Range(0, probers).Select(_ => Task.Run(() => LoopAsync(intervalMs)))];
    }

    public long Ok => Interlocked.Read(ref _ok);
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>When <paramref name="taskId"/> first and last answered, if it did.</summary>
    public (long First, long Last)? Seen(string taskId) => _seen.TryGetValue(taskId, out var s) ? s : null;

    /// <summary>The first answer of a task whose id <paramref name="match"/> accepts.</summary>
    public (string TaskId, long First)? FirstWhere(Func<string, bool> match) =>
        _seen.Where(e => match(e.Key)).Select(e => ((string, long)?)(e.Key, e.Value.First)).FirstOrDefault();

    private async Task LoopAsync(int intervalMs)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var response = await _http.GetAsync("env", _stop.Token);
                var at = Stopwatch.GetTimestamp();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref _failed);
                }
                else
                {
                    using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(_stop.Token));
                    if (doc.RootElement.TryGetProperty("MESOS_TASK_ID", out var id) && id.GetString() is { } task)
                    {
                        _seen.AddOrUpdate(task, (at, at), (_, s) => (s.First, Math.Max(s.Last, at)));
                        Interlocked.Increment(ref _ok);
                    }
                    else
                    {
                        Interlocked.Increment(ref _failed);
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or IOException)
            {
                Interlocked.Increment(ref _failed);
            }
            try
            {
                await Task.Delay(intervalMs, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(10));
        _http.Dispose();
        _stop.Dispose();
    }
}
