using Harrier.E2E.Tests.Health;

namespace Harrier.E2E.Tests.Deployments;

/// <summary>
/// Watches a rolling upgrade from outside every ~100 ms: how many of the app's tasks answer <c>/health</c> with 200
/// (asking each task directly on its host port) and how many task processes of the app live on the host. A task that
/// is listed only after the health probes is probed too, so a replacement that started meanwhile is not missed.
/// </summary>
public sealed class RolloutProbe : IAsyncDisposable
{
    private readonly HarrierDev _dev;
    private readonly string _appId;
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromMilliseconds(800) };
    private readonly List<(TimeSpan At, int Healthy, int Processes)> _samples = [];
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly Task _loop;

    public RolloutProbe(HarrierDev dev, string appId)
    {
        _dev = dev;
        _appId = appId;
        _loop = Task.Run(LoopAsync);
    }

    public IReadOnlyList<(TimeSpan At, int Healthy, int Processes)> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    public int MinHealthy => Samples.Count == 0 ? 0 : Samples.Min(s => s.Healthy);

    public int MaxProcesses => Samples.Count == 0 ? 0 : Samples.Max(s => s.Processes);

    /// <summary>Samples as "t=1.2s h=3 p=4" (only the changes), for failure messages.</summary>
    public string Timeline()
    {
        var changes = new List<string>();
        (int, int)? last = null;
        foreach (var (at, healthy, processes) in Samples)
        {
            if (last != (healthy, processes))
            {
                changes.Add($"t={at.TotalSeconds:0.0}s h={healthy} p={processes}");
                last = (healthy, processes);
            }
        }
        return string.Join("; ", changes);
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await SampleAsync();
                await Task.Delay(100, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (HttpRequestException)
            {
                // The server is busy or going; the next sample tries again.
            }
        }
    }

    private async Task SampleAsync()
    {
        var processes = _dev.HostTasks(_appId).Count;
        var ports = await PortsAsync();
        var healthyPorts = new HashSet<int>();
        await ProbeAsync(ports, healthyPorts);
        var later = await PortsAsync();
        later.ExceptWith(ports);
        await ProbeAsync(later, healthyPorts);
        processes = Math.Max(processes, _dev.HostTasks(_appId).Count);
        lock (_samples)
        {
            _samples.Add((_clock.Elapsed, healthyPorts.Count, processes));
        }
    }

    private async Task<HashSet<int>> PortsAsync() =>
        (await AppTasks.ListAsync(_dev, _appId)).Where(t => t!["ports"] is System.Text.Json.Nodes.JsonArray { Count: > 0 }).Select(t => AppTasks.Port(t!)).ToHashSet();

    private async Task ProbeAsync(IEnumerable<int> ports, HashSet<int> healthy)
    {
        var results = await Task.WhenAll(ports.Select(async p => (Port: p, Ok: await AppTasks.HealthyAsync(_client, p))));
        healthy.UnionWith(results.Where(r => r.Ok).Select(r => r.Port));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _client.Dispose();
        _stop.Dispose();
    }
}
