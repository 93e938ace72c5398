using System.Net.Sockets;
using Harrier.LoadBalancer.Rendering;

namespace Harrier.LoadBalancer.Haproxy;

/// <summary>
/// Keeps one real HAProxy (master-worker, detached: it outlives the balancer) serving the latest
/// <see cref="RenderedConfig"/>. Owns the work directory's HAProxy files (config, maps, state file, Lua services,
/// PID file). Server-only changes go through the runtime API (no reload); a changed shape or maps is validated and
/// reloaded seamlessly; a config HAProxy refuses leaves the previous one serving and on disk. Applies are serialized;
/// <see cref="DrainAsync"/> and the read-only calls may run beside them. Disposing leaves HAProxy running (what a
/// <c>kill -9</c> of the balancer leaves); a new supervisor adopts it through the PID file and the master CLI.
/// </summary>
public sealed class HaproxySupervisor : IAsyncDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    private readonly HaproxySupervisorOptions _options;
    private readonly HaproxyCli _stats;
    private readonly HaproxyCli _master;
    private readonly RuntimeApplier _runtime;
    private readonly ConfigReloader _reloader;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private RunningConfig? _running;
    private bool _forceReload;

    public HaproxySupervisor(HaproxySupervisorOptions options)
    {
        _options = options;
        _stats = new HaproxyCli(options.Paths.MasterSocket, options.SocketTimeout, options.Time, prefix: "@1 ");
        _master = new HaproxyCli(options.Paths.MasterSocket, options.SocketTimeout, options.Time);
        _runtime = new RuntimeApplier(_stats, options);
        _reloader = new ConfigReloader(_stats, _master, options);
    }

    /// <summary>The master's PID once started or adopted.</summary>
    public int? MasterPid { get; private set; }

    /// <summary>
    /// Adopts the HAProxy master the PID file names when it is an HAProxy loading this work directory's config and
    /// its master CLI answers, then brings it to <paramref name="config"/>; otherwise validates and starts a new one.
    /// Throws when HAProxy refuses the config at a fresh start (nothing would serve).
    /// </summary>
    public async Task<ApplyResult> StartOrAdoptAsync(RenderedConfig config, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var paths = _options.Paths;
            Directory.CreateDirectory(paths.WorkDirectory);
            Directory.CreateDirectory(paths.StateDirectory);
            LuaServices.Write(paths, _options.ControlPort);
            if (await TryAdoptAsync(ct))
            {
                return await ApplyLockedAsync(config, ct);
            }
            return await StartFreshAsync(config, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Brings HAProxy to <paramref name="next"/>: nothing, runtime server changes, or a validated reload.</summary>
    public async Task<ApplyResult> ApplyAsync(RenderedConfig next, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await ApplyLockedAsync(next, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Validates <paramref name="config"/> and reloads HAProxy with it even when nothing changed (marathon-lb's SIGUSR1).</summary>
    public async Task<ApplyResult> ReloadAsync(RenderedConfig config, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            _forceReload = true;
            return await ApplyLockedAsync(config, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sets the server to drain and waits until its sessions and queue reach 0 (true) or the timeout (false).</summary>
    public Task<bool> DrainAsync(string backend, string server, TimeSpan timeout, CancellationToken ct) =>
        _runtime.DrainAsync(backend, server, timeout, ct);

    /// <summary><c>show stat</c>: every frontend, backend and server row.</summary>
    public async Task<IReadOnlyList<HaproxyStat>> StatsAsync(CancellationToken ct) =>
        StatCsvParser.Parse(await _stats.SendAsync("show stat", ct));

    /// <summary><c>show proc</c> on the master CLI: the master's and the workers' PIDs.</summary>
    public async Task<HaproxyProcesses> ProcessesAsync(CancellationToken ct) =>
        ShowProcParser.Parse(await _master.SendAsync("show proc", ct))
        ?? throw new InvalidOperationException($"the master CLI {_options.Paths.MasterSocket} did not list a master");

    /// <summary>Soft-stops HAProxy (SIGUSR1 to the master: workers finish their connections), bounded; then TERM, then KILL.</summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        var pid = MasterPid ?? HaproxyProcess.ReadPidFile(_options.Paths.PidFile);
        if (pid is not { } master || !HaproxyProcess.IsAlive(master) || !HaproxyProcess.IsHaproxyFor(master, _options.HaproxyBinary, _options.Paths.ConfigFile))
        {
            return;
        }
        foreach (var (signal, wait) in new[] { ("USR1", _options.ProcessTimeout), ("TERM", TimeSpan.FromSeconds(5)), ("KILL", TimeSpan.FromSeconds(5)) })
        {
            await HaproxyProcess.SignalAsync(master, signal, _options.SocketTimeout, ct);
            if (await ExitedAsync(master, wait, ct))
            {
                break;
            }
        }
        HaproxyLog.Stopped(_options.Logger, master);
        MasterPid = null;
        _running = null;
    }

    /// <summary>Releases the supervisor only: HAProxy keeps serving.</summary>
    public ValueTask DisposeAsync()
    {
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<ApplyResult> ApplyLockedAsync(RenderedConfig next, CancellationToken ct)
    {
        var current = _running ?? throw new InvalidOperationException("HAProxy is not started: call StartOrAdoptAsync first");
        var model = HaproxyConfigModel.Parse(next.Config);
        if (!_forceReload && model.Text == current.Model.Text && current.SameMaps(next.DomainMap, next.AppMap))
        {
            return ApplyResult.NoChange;
        }
        string reason;
        if (_forceReload)
        {
            reason = "the running servers differ from the config file";
        }
        else if (model.Shape != current.Model.Shape)
        {
            reason = "the configuration's shape changed";
        }
        else if (!current.SameMaps(next.DomainMap, next.AppMap))
        {
            reason = "the map files changed";
        }
        else
        {
            var plan = RuntimePlan.Diff(current.Model, model);
            if (plan.ReloadReason is null)
            {
                var failure = await _runtime.ApplyAsync(plan, ct);
                if (failure is null)
                {
                    AtomicFile.Write(_options.Paths.ConfigFile, model.Text);
                    _running = new RunningConfig(model, next.DomainMap, next.AppMap);
                    HaproxyLog.RuntimeApplied(_options.Logger, plan.Add.Count, plan.Remove.Count, plan.Toggle.Count);
                    return new ApplyResult(ApplyOutcome.RuntimeOnly, plan.Add.Count, plan.Remove.Count, plan.Toggle.Count);
                }
                // Some servers may have been added already: only a reload brings the worker back in line.
                _forceReload = true;
                reason = failure;
            }
            else
            {
                reason = plan.ReloadReason;
            }
        }
        return await ReloadLockedAsync(next, model, current, reason, ct);
    }

    private async Task<ApplyResult> ReloadLockedAsync(RenderedConfig next, HaproxyConfigModel model, RunningConfig current, string reason, CancellationToken ct)
    {
        if (await _reloader.ValidateInPlaceAsync(next, ct) is { } error)
        {
            HaproxyLog.Rejected(_options.Logger, error);
            return ApplyResult.Rejected(error);
        }
        _reloader.Commit();
        var (worker, failure) = await _reloader.ReloadAsync(current, ct);
        if (failure is not null)
        {
            HaproxyLog.Rejected(_options.Logger, failure);
            return ApplyResult.Rejected(failure);
        }
        _running = new RunningConfig(model, next.DomainMap, next.AppMap);
        _forceReload = false;
        await RecordWorkersAsync(ct);
        HaproxyLog.Reloaded(_options.Logger, reason, worker!.Value);
        return ApplyResult.Reloaded(reason);
    }

    private async Task<bool> TryAdoptAsync(CancellationToken ct)
    {
        var paths = _options.Paths;
        if (HaproxyProcess.ReadPidFile(paths.PidFile) is not { } pid)
        {
            return false;
        }
        if (!HaproxyProcess.IsAlive(pid) || !HaproxyProcess.IsHaproxyFor(pid, _options.HaproxyBinary, paths.ConfigFile))
        {
            HaproxyLog.NotAdopted(_options.Logger, pid, "not a live HAProxy loading " + paths.ConfigFile);
            return false;
        }
        HaproxyProcesses? procs = null;
        try
        {
            procs = ShowProcParser.Parse(await _master.SendAsync("show proc", ct));
        }
        catch (Exception e) when (e is SocketException or TimeoutException or IOException)
        {
        }
        if (procs?.Master != pid || !await _stats.AnswersAsync("show info", ct))
        {
            // Ours (same config file) but deaf: it would hold the ports a fresh one needs.
            HaproxyLog.StoppingStale(_options.Logger, pid);
            MasterPid = pid;
            await StopAsync(ct);
            return false;
        }
        MasterPid = pid;
        var model = HaproxyConfigModel.Parse(AtomicFile.ReadOrNull(paths.ConfigFile) ?? "");
        _running = new RunningConfig(model, AtomicFile.ReadOrNull(paths.DomainMapFile), AtomicFile.ReadOrNull(paths.AppMapFile));
        // A balancer killed between a runtime change and the file write leaves them apart: a reload converges.
        var running = await _runtime.RunningServersAsync(ct);
        _forceReload = !running.SetEquals(model.Servers.Keys);
        await RecordWorkersAsync(ct);
        HaproxyLog.Adopted(_options.Logger, pid, paths.ConfigFile);
        return true;
    }

    private async Task<ApplyResult> StartFreshAsync(RenderedConfig config, CancellationToken ct)
    {
        var paths = _options.Paths;
        if (await _reloader.ValidateInPlaceAsync(config, ct) is { } error)
        {
            HaproxyLog.Rejected(_options.Logger, error);
            throw new InvalidOperationException("HAProxy refused the initial configuration: " + error);
        }
        _reloader.Commit();
        File.Delete(paths.PidFile);
        if (await HaproxyProcess.StartAsync(_options.HaproxyBinary, paths, _options.ProcessTimeout, ct) is { } failure)
        {
            throw new InvalidOperationException("HAProxy did not start: " + failure);
        }
        var started = _options.Time.GetTimestamp();
        while (true)
        {
            if (HaproxyProcess.ReadPidFile(paths.PidFile) is { } pid
                && await _master.AnswersAsync("show proc", ct)
                && ShowProcParser.Parse(await _master.SendAsync("show proc", ct)) is { Workers.Count: > 0 } procs
                && procs.Master == pid
                && await _stats.AnswersAsync("show info", ct))
            {
                MasterPid = pid;
                break;
            }
            if (_options.Time.GetElapsedTime(started) >= _options.ProcessTimeout)
            {
                throw new InvalidOperationException($"HAProxy did not answer on {paths.MasterSocket} and {paths.StatsSocket} within {_options.ProcessTimeout.TotalSeconds:0.#}s");
            }
            await Task.Delay(Poll, _options.Time, ct);
        }
        _running = new RunningConfig(HaproxyConfigModel.Parse(config.Config), config.DomainMap, config.AppMap);
        _forceReload = false;
        await RecordWorkersAsync(ct);
        HaproxyLog.Started(_options.Logger, MasterPid.Value, paths.ConfigFile);
        return ApplyResult.Reloaded("started");
    }

    /// <summary>Lists the workers for the getpids Lua service (kernels without /proc/PID/task/PID/children).</summary>
    private async Task RecordWorkersAsync(CancellationToken ct)
    {
        var procs = await ProcessesAsync(ct);
        LuaServices.WriteWorkers(_options.Paths, procs.Workers.Concat(procs.OldWorkers));
    }

    private async Task<bool> ExitedAsync(int pid, TimeSpan timeout, CancellationToken ct)
    {
        var started = _options.Time.GetTimestamp();
        while (HaproxyProcess.IsAlive(pid))
        {
            if (_options.Time.GetElapsedTime(started) >= timeout)
            {
                return false;
            }
            await Task.Delay(Poll, _options.Time, ct);
        }
        return true;
    }
}
