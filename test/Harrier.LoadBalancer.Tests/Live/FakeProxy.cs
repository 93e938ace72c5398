using Harrier.LoadBalancer.Live;
using Harrier.LoadBalancer.Rendering;

namespace Harrier.LoadBalancer.Tests.Live;

/// <summary>A proxy that records what the balancer asks of it and answers as a test says.</summary>
internal sealed class FakeProxy : IProxyDriver
{
    public List<RenderedConfig> Applied { get; } = [];

    public List<(string Backend, string Server)> Drained { get; } = [];

    public RenderedConfig? Started { get; private set; }

    public bool KeptAdopted { get; private set; }

    /// <summary>When set, the next applies are refused with this error.</summary>
    public string? Refuse { get; set; }

    public Task StartAsync(RenderedConfig config, bool keepAdopted, CancellationToken ct)
    {
        Started = config;
        KeptAdopted = keepAdopted;
        return Task.CompletedTask;
    }

    /// <summary>When set, the next applies throw this (HAProxy's socket not answering).</summary>
    public Exception? Throw { get; set; }

    /// <summary>When set, the next applies signal <see cref="ApplyEntered"/> and finish only once this completes.</summary>
    public TaskCompletionSource? Hold { get; set; }

    /// <summary>Completed when an apply waits on <see cref="Hold"/>.</summary>
    public TaskCompletionSource ApplyEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<ProxyChange> ApplyAsync(RenderedConfig config, CancellationToken ct)
    {
        if (Hold is { } hold)
        {
            ApplyEntered.TrySetResult();
            await hold.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        }
        if (Throw is { } e)
        {
            throw e;
        }
        if (Refuse is { } error)
        {
            return new ProxyChange(ProxyChangeKind.Rejected, Error: error);
        }
        Applied.Add(config);
        return new ProxyChange(ProxyChangeKind.Runtime, 1);
    }

    public Task<ProxyChange> ReloadAsync(CancellationToken ct) => Task.FromResult(new ProxyChange(ProxyChangeKind.Reloaded));

    public Task<bool> DrainAsync(string backend, string server, TimeSpan timeout, CancellationToken ct)
    {
        lock (Drained)
        {
            Drained.Add((backend, server));
        }
        return Task.FromResult(true);
    }

    public Task<ProxyStats> StatsAsync(CancellationToken ct) => Task.FromResult(new ProxyStats([], [1]));

    public Task StopAsync() => Task.CompletedTask;
}
