using System.Net.Sockets;
using Harrier.LoadBalancer.Rendering;

namespace Harrier.LoadBalancer.Haproxy;

/// <summary>
/// The reload path for a changed shape: maps and config written beside the running ones, <c>haproxy -c</c>, on
/// failure everything put back (the old config keeps serving and stays on disk); on success the server states
/// dumped into the state file, the files moved into place, <c>reload</c> on the master CLI, and a bounded wait
/// until a new worker answers. A reload the master reports as failed also restores the previous files.
/// </summary>
internal sealed class ConfigReloader(HaproxyCli stats, HaproxyCli master, HaproxySupervisorOptions options)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    private LbPaths Paths => options.Paths;

    /// <summary>Validates <paramref name="next"/> with its maps in place; null when HAProxy accepts it, else its error (files restored).</summary>
    public async Task<string?> ValidateInPlaceAsync(RenderedConfig next, CancellationToken ct)
    {
        var previous = (Domain: AtomicFile.ReadOrNull(Paths.DomainMapFile), App: AtomicFile.ReadOrNull(Paths.AppMapFile));
        // The config names the map files by their final paths, so -c must see the new maps there.
        AtomicFile.WriteOrDelete(Paths.DomainMapFile, next.DomainMap);
        AtomicFile.WriteOrDelete(Paths.AppMapFile, next.AppMap);
        var candidate = Paths.ConfigFile + ".next";
        AtomicFile.Write(candidate, next.Config);
        var error = await HaproxyProcess.ValidateAsync(options.HaproxyBinary, candidate, options.ProcessTimeout, ct);
        if (error is not null)
        {
            File.Delete(candidate);
            AtomicFile.WriteOrDelete(Paths.DomainMapFile, previous.Domain);
            AtomicFile.WriteOrDelete(Paths.AppMapFile, previous.App);
            return error.Replace(candidate, Paths.ConfigFile, StringComparison.Ordinal);
        }
        return null;
    }

    /// <summary>Moves the validated candidate into place (keeping the previous text for a failed reload).</summary>
    public void Commit() => File.Move(Paths.ConfigFile + ".next", Paths.ConfigFile, overwrite: true);

    /// <summary>Reloads to the config file in place; returns the new worker's PID, or the failure (previous files restored).</summary>
    public async Task<(int? Worker, string? Error)> ReloadAsync(RunningConfig previous, CancellationToken ct)
    {
        var before = ShowProcParser.Parse(await master.SendAsync("show proc", ct))
            ?? throw new InvalidOperationException("the master CLI did not list a master");
        await SaveServerStateAsync(ct);
        try
        {
            await master.SendAsync("reload", ct);
        }
        catch (SocketException)
        {
            // The master re-executes itself and may close the CLI connection without a word.
        }
        var started = options.Time.GetTimestamp();
        while (options.Time.GetElapsedTime(started) < options.ProcessTimeout)
        {
            await Task.Delay(Poll, options.Time, ct);
            HaproxyProcesses? now;
            try
            {
                now = ShowProcParser.Parse(await master.SendAsync("show proc", ct));
            }
            catch (Exception e) when (e is SocketException or TimeoutException or IOException)
            {
                continue;
            }
            if (now is null)
            {
                continue;
            }
            if (now.FailedReloads > before.FailedReloads)
            {
                return (null, Restore(previous, "the HAProxy master reported the reload as failed"));
            }
            var fresh = now.Workers.FirstOrDefault(w => !before.Workers.Contains(w) && !before.OldWorkers.Contains(w));
            if (fresh != 0 && await ServesAsync(fresh, ct))
            {
                return (fresh, null);
            }
        }
        return (null, Restore(previous, $"no new HAProxy worker answered within {options.ProcessTimeout.TotalSeconds:0.#}s of the reload"));
    }

    /// <summary>The worker answering the runtime API is <paramref name="worker"/> (the new one bound its sockets).</summary>
    private async Task<bool> ServesAsync(int worker, CancellationToken ct)
    {
        try
        {
            var info = await stats.SendAsync("show info", ct);
            return info.Split('\n').Any(l => l.Trim() == $"Pid: {worker}");
        }
        catch (Exception e) when (e is SocketException or TimeoutException or IOException)
        {
            return false;
        }
    }

    private async Task SaveServerStateAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(Paths.StateDirectory);
        var state = await stats.SendAsync("show servers state", ct);
        // server-state-file global: HAProxy reads <server-state-base>global.
        AtomicFile.Write(Path.Combine(Paths.StateDirectory, "global"), state);
    }

    private string Restore(RunningConfig previous, string error)
    {
        AtomicFile.Write(Paths.ConfigFile, previous.Model.Text);
        AtomicFile.WriteOrDelete(Paths.DomainMapFile, previous.DomainMap);
        AtomicFile.WriteOrDelete(Paths.AppMapFile, previous.AppMap);
        return error;
    }
}
