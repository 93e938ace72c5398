using System.Net;

namespace Harrier.Networking.Vips;

/// <summary>
/// Layer-4 VIPs balanced in the kernel: the one nftables table <c>ip harrier_vip</c> (IPv4; layout in
/// <see cref="VipScript"/>) plus the VIP addresses on <see cref="VipAddressDevice"/>. New connections to a VIP (from
/// local processes and host-mode tasks through the output hook, from tasks' namespaces through prerouting) go to a
/// backend picked at random by weight; NAT decides on a connection's first packet, so established connections keep
/// their backend whatever changes later, and VIP traffic is masqueraded so replies come back through this host.
/// <para>
/// Owns: the table and the device, nothing else. <see cref="ApplyAsync"/> takes the whole desired set, works out the
/// difference from what it last applied (read back from the kernel the first time, or by <see cref="ReconcileAsync"/>)
/// and applies it as one <c>nft -f</c> transaction touching only the VIPs that differ. Calls are serialized.
/// On failure: invalid VIPs are refused before anything reaches the kernel (listed in the result, their previous state
/// kept); a failing transaction changes nothing (nft applies all or nothing), the addresses added for it are taken back,
/// and the error is thrown as <see cref="NetworkSetupException"/>.
/// </para>
/// <para>
/// A VIP inside 127.0.0.0/8 is for one machine: connections from the host's loopback to it reach backends only through
/// devices with <c>route_localnet=1</c> (Harrier's bridges set it).
/// </para>
/// </summary>
public sealed class VipTable(HostNamespace host, string name = VipTable.DefaultName, VipAddressDevice? device = null) : IDisposable
{
    public const string DefaultName = "harrier_vip";

    private readonly SemaphoreSlim _lock = new(1, 1);
    private VipTableState? _state;
    private HashSet<IPAddress> _deviceAddresses = [];
    private bool _deviceReady;

    public HostNamespace Host { get; } = host;

    public string Name { get; } = name;

    public VipAddressDevice Device { get; } = device ?? new VipAddressDevice(host);

    /// <summary>At start: reads what the kernel holds (a previous run's VIPs), then applies <paramref name="desired"/>,
    /// so VIPs no longer wanted go and wanted ones stay without their connections noticing.</summary>
    public async Task<VipApplyResult> ReconcileAsync(IReadOnlyList<VipService> desired, CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            await LoadAsync(cancellationToken);
            return await ApplyLockedAsync(desired, repairSkeleton: true, cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Makes the kernel hold exactly <paramref name="desired"/> (VIPs without backends are removed).</summary>
    public async Task<VipApplyResult> ApplyAsync(IReadOnlyList<VipService> desired, CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var first = _state is null;
            if (first)
            {
                await LoadAsync(cancellationToken);
            }
            return await ApplyLockedAsync(desired, repairSkeleton: first, cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Removes the table and the device (shutdown, tests). Idempotent.</summary>
    public async Task RemoveAllAsync(CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            await Host.ExecAsync("nft", ["-f", "-"], $"table ip {Name} {{}}\ndelete table ip {Name}\n", cancellationToken);
            await Device.DeleteAsync(cancellationToken);
            _state = VipTableState.Missing;
            _deviceAddresses = [];
            _deviceReady = false;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>The VIPs in the kernel now, each with the backends that take new connections.</summary>
    public async Task<IReadOnlyDictionary<VipKey, IReadOnlyList<VipBackend>>> ListAsync(CancellationToken cancellationToken = default) =>
        (await ReadAsync(cancellationToken)).Vips;

    public void Dispose() => _lock.Dispose();

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        _state = await ReadAsync(cancellationToken);
        _deviceAddresses = [.. await Device.ListAsync(cancellationToken)];
        _deviceReady = false;
    }

    private async Task<VipTableState> ReadAsync(CancellationToken cancellationToken)
    {
        var (code, stdout, _) = await Host.TryExecAsync("nft", ["-j", "list", "table", "ip", Name], cancellationToken: cancellationToken);
        return code == 0 ? VipTableParser.Parse(stdout) : VipTableState.Missing;
    }

    private async Task<VipApplyResult> ApplyLockedAsync(IReadOnlyList<VipService> desired, bool repairSkeleton, CancellationToken cancellationToken)
    {
        var current = _state!;
        var rejected = new List<string>();
        var wanted = new Dictionary<VipKey, List<VipBackend>>();
        var refused = new HashSet<VipKey>();
        foreach (var service in desired)
        {
            if (VipValidator.Validate(service) is { } problem)
            {
                rejected.Add(problem);
                if (service.Key.Address is not null)
                {
                    refused.Add(service.Key);
                }
                continue;
            }
            if (service.Backends.Count == 0)
            {
                continue;
            }
            if (!wanted.TryGetValue(service.Key, out var backends))
            {
                wanted[service.Key] = backends = [];
            }
            backends.AddRange(service.Backends); // several apps may share one VIP (blue/green)
        }
        // A VIP on an address the host already has elsewhere would capture the host's own traffic to it.
        var newAddresses = wanted.Keys.Select(k => k.Address).Where(a => !_deviceAddresses.Contains(a) && !current.Addresses.Contains(a)).ToHashSet();
        if (newAddresses.Count > 0)
        {
            var taken = await Device.OthersAsync(cancellationToken);
            foreach (var key in wanted.Keys.Where(k => taken.Contains(k.Address)).ToList())
            {
                rejected.Add($"VIP {key}: {key.Address} is already an address of this host");
                wanted.Remove(key);
                refused.Add(key);
            }
        }
        var next = wanted.ToDictionary(v => v.Key, v => VipScript.Effective(v.Value));
        foreach (var key in refused.Where(k => !wanted.ContainsKey(k) && current.Vips.ContainsKey(k)))
        {
            next[key] = current.Vips[key]; // a refused update keeps what was there
        }

        var change = VipScript.Change(Name, current, next, repairSkeleton);
        var addresses = next.Keys.Select(k => k.Address).ToHashSet();
        var toAdd = addresses.Where(a => !_deviceAddresses.Contains(a)).ToList();
        if (toAdd.Count > 0)
        {
            if (!_deviceReady)
            {
                await Device.EnsureAsync(cancellationToken);
                _deviceReady = true;
            }
            await Device.AddAsync(toAdd, cancellationToken);
            _deviceAddresses.UnionWith(toAdd);
        }
        if (change.Script.Length > 0)
        {
            var (code, _, stderr) = await Host.TryExecAsync("nft", ["-f", "-"], change.Script, cancellationToken: cancellationToken);
            if (code != 0)
            {
                await TakeBackAsync(toAdd);
                var detail = stderr.Trim();
                throw new NetworkSetupException(
                    $"the VIP transaction on table ip {Name} failed, the previous VIP rules are in place: {(detail.Length > 600 ? detail[..600] : detail)} (exit {code})");
            }
        }
        var toRemove = _deviceAddresses.Where(a => !addresses.Contains(a)).ToList();
        if (toRemove.Count > 0)
        {
            await Device.RemoveAsync(toRemove, cancellationToken);
            _deviceAddresses.ExceptWith(toRemove);
        }
        _state = change.Next;
        return new VipApplyResult(change.Added, change.Changed, change.Removed, rejected);
    }

    private async Task TakeBackAsync(IReadOnlyCollection<IPAddress> added)
    {
        try
        {
            await Device.RemoveAsync(added, CancellationToken.None);
            _deviceAddresses.ExceptWith(added);
        }
        catch (NetworkSetupException)
        {
            // The next apply (or reconciliation) removes them; the transaction's own error is the one to report.
        }
    }
}
