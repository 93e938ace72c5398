using Microsoft.Extensions.Logging;

namespace Harrier.LoadBalancer.Haproxy;

/// <summary>
/// Applies a <see cref="RuntimePlan"/> through the runtime API, without a reload: <c>add server</c> (then
/// <c>enable health</c> when it checks and <c>enable server</c> unless <c>disabled</c>: 2.6 adds dynamic servers in
/// maintenance), <c>set server … state maint|ready</c> for toggles, and for removals drain → sessions reach 0
/// (bounded) → <c>maint</c> → <c>del server</c>. Additions go first, so capacity arrives before any leaves.
/// </summary>
internal sealed class RuntimeApplier(HaproxyCli stats, HaproxySupervisorOptions options)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>Null when every change was applied; else why the runtime API could not (the caller reloads instead).</summary>
    public async Task<string?> ApplyAsync(RuntimePlan plan, CancellationToken ct)
    {
        foreach (var add in plan.Add)
        {
            var command = add.AddCommand();
            var answer = (await stats.SendAsync(command, ct)).Trim();
            if (!answer.StartsWith("New server registered", StringComparison.Ordinal))
            {
                HaproxyLog.RuntimeRefused(options.Logger, command, answer);
                return $"HAProxy refused '{command}': {answer}";
            }
            if (add.HasCheck)
            {
                await CommandAsync($"enable health {add.Backend}/{add.Name}", ct);
            }
            if (!add.Disabled)
            {
                await CommandAsync($"enable server {add.Backend}/{add.Name}", ct);
            }
        }
        foreach (var toggle in plan.Toggle)
        {
            await CommandAsync($"set server {toggle.Backend}/{toggle.Name} state {(toggle.Disabled ? "maint" : "ready")}", ct);
        }
        await Task.WhenAll(plan.Remove.Select(r => RemoveAsync(r, ct)));
        return null;
    }

    /// <summary>Sets drain and waits (bounded) until the server has no session nor queued request; false on timeout.</summary>
    public async Task<bool> DrainAsync(string backend, string server, TimeSpan timeout, CancellationToken ct)
    {
        if (!RuntimeToken.IsSafe(backend) || !RuntimeToken.IsSafe(server))
        {
            throw new ArgumentException($"'{backend}/{server}' is not a server name the runtime API can carry");
        }
        await CommandAsync($"set server {backend}/{server} state drain", ct);
        return await WaitIdleAsync(backend, server, timeout, ct);
    }

    /// <summary>
    /// The current sessions plus queued requests of one server, or null when HAProxy does not list it. By proxy id
    /// once known: marathon-lb names a service's frontend and backend alike, and <c>show stat NAME</c> finds the frontend.
    /// </summary>
    public async Task<(long? Busy, int ProxyId)> BusyAsync(string backend, string server, int proxyId, CancellationToken ct)
    {
        var rows = StatCsvParser.Parse(await stats.SendAsync($"show stat {(proxyId > 0 ? proxyId : -1)} 4 -1", ct));
        return rows.FirstOrDefault(r => r.Proxy == backend && r.Server == server) is { } row ? (row.Scur + row.Qcur, row.ProxyId) : (null, proxyId);
    }

    /// <summary>The (backend, server) pairs the running worker has (<c>show servers state</c>).</summary>
    public async Task<HashSet<(string Backend, string Name)>> RunningServersAsync(CancellationToken ct)
    {
        var set = new HashSet<(string, string)>();
        foreach (var line in (await stats.SendAsync("show servers state", ct)).Split('\n'))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length >= 4 && !line.StartsWith('#') && int.TryParse(f[0], out _))
            {
                set.Add((f[1], f[3]));
            }
        }
        return set;
    }

    private async Task<bool> WaitIdleAsync(string backend, string server, TimeSpan timeout, CancellationToken ct)
    {
        var started = options.Time.GetTimestamp();
        var proxyId = 0;
        while (true)
        {
            (var busy, proxyId) = await BusyAsync(backend, server, proxyId, ct);
            if (busy is null or 0)
            {
                return true;
            }
            if (options.Time.GetElapsedTime(started) >= timeout)
            {
                return false;
            }
            await Task.Delay(Poll, options.Time, ct);
        }
    }

    private async Task RemoveAsync(ServerLine line, CancellationToken ct)
    {
        var key = $"{line.Backend}/{line.Name}";
        // A disabled server is already in maintenance: "drain" would bring it back to (draining) life.
        var idle = line.Disabled
            ? await WaitIdleAsync(line.Backend, line.Name, options.DrainTimeout, ct)
            : await DrainAsync(line.Backend, line.Name, options.DrainTimeout, ct);
        await CommandAsync($"set server {key} state maint", ct);
        if (!idle)
        {
            HaproxyLog.DrainTimedOut(options.Logger, line.Backend, line.Name, options.DrainTimeout.TotalSeconds);
            await CommandAsync($"shutdown sessions server {key}", ct);
        }
        // Sessions just cut off may take a moment to release the server.
        var started = options.Time.GetTimestamp();
        while (true)
        {
            var answer = (await stats.SendAsync($"del server {key}", ct)).Trim();
            if (answer.StartsWith("Server deleted", StringComparison.Ordinal) || answer.Contains("No such server", StringComparison.Ordinal))
            {
                return;
            }
            if (options.Time.GetElapsedTime(started) >= options.SocketTimeout)
            {
                // Left in maintenance (no traffic); the next reload drops it, as the config file no longer has it.
                HaproxyLog.RuntimeRefused(options.Logger, $"del server {key}", answer);
                return;
            }
            await Task.Delay(Poll, options.Time, ct);
        }
    }

    private async Task CommandAsync(string command, CancellationToken ct)
    {
        var answer = (await stats.SendAsync(command, ct)).Trim();
        if (answer.Length > 0)
        {
            HaproxyLog.RuntimeRefused(options.Logger, command, answer);
        }
    }
}
