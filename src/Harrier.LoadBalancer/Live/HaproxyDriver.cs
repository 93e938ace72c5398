using Harrier.LoadBalancer.Cli;
using Harrier.LoadBalancer.Haproxy;
using Harrier.LoadBalancer.Rendering;
using Microsoft.Extensions.Logging;

namespace Harrier.LoadBalancer.Live;

/// <summary>
/// The balancer's proxy: <see cref="HaproxySupervisor"/> behind <see cref="IProxyDriver"/>. With
/// <paramref name="alwaysReload"/> (hidden <c>--always-reload</c>) every change is a validated reload, marathon-lb's way.
/// </summary>
internal sealed class HaproxyDriver(HaproxySupervisor supervisor, LbPaths paths, string binary, bool alwaysReload = false) : IProxyDriver, IAsyncDisposable
{
    private RenderedConfig? current;

    public static HaproxyDriver Create(LbSettings settings, ILoggerFactory loggers, TimeProvider time) =>
        new(new HaproxySupervisor(new HaproxySupervisorOptions(settings.Paths)
        {
            HaproxyBinary = settings.HaproxyBinary,
            ControlPort = settings.ControlPort,
            Time = time,
            Logger = loggers.CreateLogger("harrier.lb.haproxy"),
            DrainTimeout = settings.DrainTimeout,
        }), settings.Paths, settings.HaproxyBinary, settings.AlwaysReload);

    public async Task StartAsync(RenderedConfig config, bool keepAdopted, CancellationToken ct)
    {
        // Without the server's word yet, an HAProxy this work directory already runs keeps its config: start (or
        // adopt) with what is on disk, which is what it runs.
        if (keepAdopted && File.Exists(paths.ConfigFile))
        {
            config = new RenderedConfig(
                await File.ReadAllTextAsync(paths.ConfigFile, ct),
                File.Exists(paths.DomainMapFile) ? await File.ReadAllTextAsync(paths.DomainMapFile, ct) : null,
                File.Exists(paths.AppMapFile) ? await File.ReadAllTextAsync(paths.AppMapFile, ct) : null,
                []);
        }
        ApplyResult result;
        try
        {
            result = await supervisor.StartOrAdoptAsync(config, ct);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            throw new ProxyStartException(e is System.ComponentModel.Win32Exception ? $"cannot run {binary}: {e.Message}" : e.Message, e);
        }
        if (result.Outcome == ApplyOutcome.Rejected)
        {
            throw new ProxyStartException(result.Error ?? "HAProxy refused the config");
        }
        current = config;
    }

    public async Task<ProxyChange> ApplyAsync(RenderedConfig config, CancellationToken ct)
    {
        var result = alwaysReload ? await supervisor.ReloadAsync(config, ct) : await supervisor.ApplyAsync(config, ct);
        if (result.Outcome != ApplyOutcome.Rejected)
        {
            current = config;
        }
        return Map(result);
    }

    public async Task<ProxyChange> ReloadAsync(CancellationToken ct) =>
        current is { } config ? Map(await supervisor.ReloadAsync(config, ct)) : new ProxyChange(ProxyChangeKind.None);

    public Task<bool> DrainAsync(string backend, string server, TimeSpan timeout, CancellationToken ct) =>
        supervisor.DrainAsync(backend, server, timeout, ct);

    public async Task<ProxyStats> StatsAsync(CancellationToken ct)
    {
        var rows = await supervisor.StatsAsync(ct);
        var processes = await supervisor.ProcessesAsync(ct);
        return new ProxyStats(
            [.. rows.Select(r => new ProxyStatRow(r.Proxy, r.Server, r.Status, r.Scur, r.Stot, r.ReqTot, r.Hrsp5xx, r.Econ, r.Eresp, r.Qtime, r.Ctime, r.Rtime, r.Ttime))],
            [processes.Master, .. processes.Workers, .. processes.OldWorkers]);
    }

    public Task StopAsync() => supervisor.StopAsync();

    public ValueTask DisposeAsync() => supervisor.DisposeAsync();

    private static ProxyChange Map(ApplyResult r) => r.Outcome switch
    {
        ApplyOutcome.NoChange => new ProxyChange(ProxyChangeKind.None),
        ApplyOutcome.RuntimeOnly => new ProxyChange(ProxyChangeKind.Runtime, r.Added, r.Removed, r.Toggled),
        ApplyOutcome.Reloaded => new ProxyChange(ProxyChangeKind.Reloaded, r.Added, r.Removed, r.Toggled),
        _ => new ProxyChange(ProxyChangeKind.Rejected, Error: r.Error),
    };
}
