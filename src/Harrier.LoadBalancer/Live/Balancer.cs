using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harrier.LoadBalancer.Draining;
using Harrier.LoadBalancer.Marathon;
using Harrier.LoadBalancer.Rendering;
using Microsoft.Extensions.Logging;

namespace Harrier.LoadBalancer.Live;

/// <summary>
/// The balancer's core: every apps body the watcher reads is rendered and handed to the proxy (which changes only
/// servers at runtime when the shape is the same, and reloads otherwise); a body that cannot be rendered, or a config
/// the proxy refuses, leaves the running one serving and is reported in <see cref="LastError"/>. Drain requests from
/// the server are served from the last applied config: every server line of the task is drained. Harrier's server
/// keeps a task RUNNING until its held kill goes out, so a drained task is remembered and left out of every later
/// render until it leaves the apps body. A drain waits for an apply in flight that was rendered with its task (it may
/// add the task's server, enable it, or reload with the server's state saved before the drain): confirmed from the
/// config before that apply, the drain would miss a server HAProxy is about to send the task's traffic to, and the
/// server would kill the task under traffic. Applies come one at a time (the watcher's one reader).
/// </summary>
internal sealed partial class Balancer(
    Func<string, RenderedConfig> render,
    IProxyDriver proxy,
    TimeSpan drainTimeout,
    TimeProvider time,
    ILogger logger,
    TextWriter? dryOutput = null)
{
    private readonly Lock gate = new();
    private readonly ConcurrentDictionary<string, byte> drained = new(StringComparer.Ordinal);
    private RenderedConfig? applied;

    // The apply in flight (completed when it is done) and its config once rendered (null while rendering); under gate.
    private Task? applying;
    private RenderedConfig? applyingConfig;
    private long reloads;
    private long runtimeChanges;
    private long rejected;

    /// <summary>The config the proxy runs (null before the first).</summary>
    public RenderedConfig? Applied { get { lock (gate) { return applied; } } }

    public long Reloads => Interlocked.Read(ref reloads);

    public long RuntimeChanges => Interlocked.Read(ref runtimeChanges);

    public long Rejected => Interlocked.Read(ref rejected);

    /// <summary>Asks the watcher for a fresh read (set once the watcher exists).</summary>
    public Action? RequestReset { get; set; }

    /// <summary>Tasks drained on the server's request and kept out of rotation until they leave the apps.</summary>
    public int DrainedTasks => drained.Count;

    /// <summary>Why the last body or config did not take effect; null once one did.</summary>
    public string? LastError { get; private set; }

    public DateTimeOffset? LastApplied { get; private set; }

    /// <summary>Starts (or adopts) the proxy with the first body; null when the server did not answer yet.</summary>
    public async Task StartAsync(string? appsBody, CancellationToken ct)
    {
        var empty = appsBody is null;
        var config = (appsBody is null ? null : Render(appsBody)) ?? render("""{"apps":[]}""");
        if (dryOutput is not null)
        {
            await dryOutput.WriteLineAsync(config.Config);
            Set(config);
            return;
        }
        await proxy.StartAsync(config, keepAdopted: empty, ct);
        if (!empty)
        {
            Set(config);
        }
    }

    /// <summary>Renders <paramref name="appsBody"/> and applies it.</summary>
    public async Task OnAppsAsync(string appsBody, CancellationToken ct)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            // Before rendering: a drain marked from here on is left out of this render, one marked before may be in it.
            applying = done.Task;
            applyingConfig = null;
        }
        try
        {
            await RenderAndApplyAsync(appsBody, ct);
        }
        finally
        {
            lock (gate)
            {
                applying = null;
                applyingConfig = null;
            }
            done.SetResult();
        }
    }

    private async Task RenderAndApplyAsync(string appsBody, CancellationToken ct)
    {
        if (Render(appsBody) is not { } config)
        {
            return;
        }
        lock (gate)
        {
            applyingConfig = config;
        }
        var previous = Applied;
        if (previous is not null && previous.Config == config.Config && previous.DomainMap == config.DomainMap && previous.AppMap == config.AppMap)
        {
            // What runs is what the apps ask for (again: a refused change may have been undone).
            Set(config);
            LastError = null;
            return;
        }
        if (dryOutput is not null)
        {
            await dryOutput.WriteLineAsync(config.Config);
            Set(config);
            return;
        }
        var started = time.GetTimestamp();
        ProxyChange change;
        try
        {
            change = await proxy.ApplyAsync(config, ct);
        }
        catch (Exception e) when (e is IOException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            // HAProxy did not answer (a reload in progress, a wedged socket): the next read tries again.
            LastError = "HAProxy did not take the new config (retrying): " + e.Message;
            LogApplyFailed(logger, e.Message);
            _ = RetryLaterAsync(ct);
            return;
        }
        switch (change.Kind)
        {
            case ProxyChangeKind.Rejected:
                Interlocked.Increment(ref rejected);
                LastError = "HAProxy refused the new config (the previous one keeps serving): " + change.Error;
                LogRejected(logger, change.Error ?? "");
                return;
            case ProxyChangeKind.Reloaded:
                Interlocked.Increment(ref reloads);
                LogReloaded(logger, time.GetElapsedTime(started).TotalMilliseconds);
                break;
            case ProxyChangeKind.Runtime:
                Interlocked.Increment(ref runtimeChanges);
                LogRuntime(logger, change.ServersAdded, change.ServersRemoved, change.ServersChanged, time.GetElapsedTime(started).TotalMilliseconds);
                break;
            case ProxyChangeKind.None:
                break;
        }
        Set(config);
        LastError = null;
    }

    /// <summary>Drains every server line of the task (none: nothing to wait for).</summary>
    public async Task DrainAsync(DrainRequest request, CancellationToken ct)
    {
        Task? inFlight;
        lock (gate)
        {
            drained.TryAdd(request.TaskId, 0);
            inFlight = applying is { } task && InFlightMayServe(request.TaskId) ? task : null;
        }
        if (inFlight is not null)
        {
            // Bounded: an apply ends within the proxy's own timeouts.
            await inFlight.WaitAsync(ct);
        }
        var servers = Applied?.Servers.Where(s => s.TaskId == request.TaskId).ToList() ?? [];
        await Task.WhenAll(servers.Select(s => proxy.DrainAsync(s.Backend, s.Server, drainTimeout, ct)));
        // The next config leaves the task out (it is still RUNNING until the server kills it).
        RequestReset?.Invoke();
    }

    /// <summary>
    /// Whether the apply in flight may serve <paramref name="taskId"/> once done: its config is not rendered yet, or it
    /// has a server line of the task (rendered before the drain was marked). Such an apply may add the server or
    /// enable it, or reload with the server's state saved before the drain; so the drain waits for it. Under gate.
    /// </summary>
    private bool InFlightMayServe(string taskId) =>
        applyingConfig is not { } next || next.Servers.Any(s => s.TaskId == taskId);

    /// <summary>The body without the drained tasks; drained tasks no longer in the body are forgotten.</summary>
    private string WithoutDrained(string appsBody)
    {
        if (drained.IsEmpty)
        {
            return appsBody;
        }
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(appsBody, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return appsBody;
        }
        if (root?["apps"] is not JsonArray apps)
        {
            return appsBody;
        }
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var app in apps.OfType<JsonObject>())
        {
            if (app["tasks"] is not JsonArray tasks)
            {
                continue;
            }
            for (var i = tasks.Count - 1; i >= 0; i--)
            {
                if (tasks[i] is JsonObject task && task["id"] is JsonValue v && v.TryGetValue<string>(out var id))
                {
                    present.Add(id);
                    if (drained.ContainsKey(id))
                    {
                        tasks.RemoveAt(i);
                    }
                }
            }
        }
        foreach (var id in drained.Keys.Where(id => !present.Contains(id)).ToList())
        {
            drained.TryRemove(id, out _);
        }
        return root.ToJsonString();
    }

    private async Task RetryLaterAsync(CancellationToken ct)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), time, ct);
            RequestReset?.Invoke();
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private RenderedConfig? Render(string appsBody)
    {
        try
        {
            var config = render(WithoutDrained(appsBody));
            foreach (var warning in config.Warnings)
            {
                LogWarning(logger, warning);
            }
            return config;
        }
        catch (LbInputException e)
        {
            LastError = "the apps could not be read (the previous config keeps serving): " + e.Message;
            LogBadInput(logger, e.Message);
            return null;
        }
    }

    private void Set(RenderedConfig config)
    {
        lock (gate)
        {
            applied = config;
        }
        LastApplied = time.GetUtcNow();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "HAProxy refused the new config; the previous one keeps serving: {Error}")]
    private static partial void LogRejected(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "HAProxy did not take the new config ({Error}); retrying after the next read")]
    private static partial void LogApplyFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Config shape changed: validated and reloaded in {Milliseconds} ms")]
    private static partial void LogReloaded(ILogger logger, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Servers changed without a reload (+{Added} -{Removed} ~{Changed}) in {Milliseconds} ms")]
    private static partial void LogRuntime(ILogger logger, int added, int removed, int changed, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogWarning(ILogger logger, string warning);

    [LoggerMessage(Level = LogLevel.Error, Message = "The apps could not be read; the previous config keeps serving: {Error}")]
    private static partial void LogBadInput(ILogger logger, string error);
}
