using Harrier.Core.Apps;
using Harrier.Linux;
using Harrier.Networking;
using Harrier.Networking.Isolation;

namespace Harrier.Agent.Launch.Networks;

/// <summary>
/// Mesos' <c>network/port_mapping</c> isolator for host-mode tasks (<c>--isolation network/port_mapping</c>): each task
/// gets a namespace of its own that shares the host's address (<see cref="PortMappingIsolator"/>), connects out from
/// its own block of the agent's ephemeral ports, receives exactly its host ports, is held to the egress rate, and is
/// measured (<see cref="INetworkStatisticsSource"/>). Blocks are recorded one file each (<see cref="EphemeralPortAllocator"/>),
/// so a restarted agent keeps running tasks' blocks and filters and frees those of tasks that died meanwhile.
/// The host is prepared on first use (the public interface detected, its loopback set up as Mesos did).
/// </summary>
internal sealed class PortMappingIsolatorMode : INetworkMode, INetworkStatisticsSource, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly AgentNetworks _networks;
    private readonly string _scope;
    private readonly PortMappingIsolatorOptions _options;
    private PortMappingIsolator? _isolator;

    public PortMappingIsolatorMode(AgentNetworks networks, string scope, PortMappingIsolatorOptions options)
    {
        _networks = networks;
        _scope = scope;
        _options = options;
        Ports = new EphemeralPortAllocator(
            options.EphemeralPorts.Select(r => (r.Begin, r.End)), options.EphemeralPortsPerContainer, Path.Combine(networks.StateDirectory, "ephemeral-ports"));
    }

    public string Name => MesosIsolation.PortMapping;

    /// <summary>The mode when the agent's <c>--isolation</c> names it (never for the fake driver, which runs nothing).</summary>
    public static IEnumerable<INetworkMode> For(AgentOptions options, AgentNetworks networks, string scope)
    {
        if (!options.Isolation.Contains(MesosIsolation.PortMapping) || options.Driver == "fake")
        {
            return [];
        }
        if (options.PortMapping.Validate(options.Ports) is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }
        return [new PortMappingIsolatorMode(networks, scope, options.PortMapping)];
    }

    /// <summary>The ephemeral blocks held, one file each.</summary>
    public EphemeralPortAllocator Ports { get; }

    public bool Serves(NetworkSpec network) => network.Mode == NetworkMode.Host;

    public async Task<NetworkAttachment> AttachAsync(NetworkAttachRequest request, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var isolator = await EnsureLockedAsync(cancellationToken);
            var range = Ports.Allocate(request.Owner);
            try
            {
                await isolator.AttachAsync(request.Namespace, Veth(request.Owner, request.Index), range, request.HostPorts, cancellationToken);
            }
            catch
            {
                await isolator.DetachAsync(Veth(request.Owner, request.Index), range.Slot);
                Ports.Release(request.Owner);
                throw;
            }
            // The task has the host's address, as with plain host networking: nothing new to report.
            return new NetworkAttachment([]);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<NetworkAttachment?> RecoverAsync(NetworkAttachRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(Ports.Find(request.Owner) is null ? null : new NetworkAttachment([]));

    public async Task DetachAsync(NetworkAttachRequest request)
    {
        if (Ports.Find(request.Owner) is not { } range)
        {
            return;
        }
        await _gate.WaitAsync();
        try
        {
            var isolator = await EnsureLockedAsync(CancellationToken.None);
            await isolator.DetachAsync(Veth(request.Owner, request.Index), range.Slot);
            Ports.Release(request.Owner);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task ReconcileAsync(IReadOnlySet<string> liveOwners, CancellationToken cancellationToken)
    {
        var held = Ports.Allocations();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var isolator = await EnsureLockedAsync(cancellationToken);
            foreach (var dead in held.Where(a => !liveOwners.Contains(a.Owner)))
            {
                await isolator.DetachAsync(Veth(dead.Owner, 0), dead.Slot);
                Ports.Release(dead.Owner);
            }
            // Filters or guards no held block accounts for (a crash between freeing a block and its filters).
            var live = held.Where(a => liveOwners.Contains(a.Owner)).ToList();
            foreach (var slot in (await isolator.HostSlotsAsync()).Where(s => live.All(a => a.Slot != s)))
            {
                await isolator.RemoveHostFiltersAsync(slot);
            }
            var liveVeths = live.Select(a => Veth(a.Owner, 0)).ToHashSet(StringComparer.Ordinal);
            foreach (var veth in (await isolator.Guard.VethsAsync()).Where(v => !liveVeths.Contains(v)))
            {
                await isolator.Guard.RemoveAsync(veth);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<ResourceStatistics?> ReadAsync(string owner, CancellationToken cancellationToken)
    {
        if (Ports.Find(owner) is null)
        {
            return null;
        }
        var ns = LinkNames.Namespace(_scope, owner);
        var traffic = await NamespaceStatistics.TrafficControlAsync(ns, "eth0", cancellationToken);
        return new ResourceStatistics
        {
            Network = await NamespaceStatistics.InterfaceAsync(ns, "eth0", cancellationToken),
            TrafficControl = traffic.Count > 0 ? traffic : null,
            Sockets = await NamespaceStatistics.SocketsAsync(ns, _options.SocketStatisticsSummary, _options.SocketStatisticsDetails, cancellationToken),
        };
    }

    public void Dispose() => _gate.Dispose();

    private static string Veth(string owner, int index) => LinkNames.HostVeth(owner, index);

    private async Task<PortMappingIsolator> EnsureLockedAsync(CancellationToken cancellationToken)
    {
        if (_isolator is { } ready)
        {
            return ready;
        }
        var host = _networks.Host;
        var local = (await host.ExecAsync("sysctl", ["-n", "net.ipv4.ip_local_port_range"], cancellationToken: cancellationToken))
            .Split(['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        if (local.Length == 2 && int.TryParse(local[0], System.Globalization.CultureInfo.InvariantCulture, out var begin)
            && int.TryParse(local[1], System.Globalization.CultureInfo.InvariantCulture, out var end)
            && _options.EphemeralPorts.FirstOrDefault(r => r.Begin <= end && begin <= r.End) is { End: > 0 } clash)
        {
            throw new NetworkSetupException(
                $"ephemeral_ports {clash.Begin}-{clash.End} overlap the host's own ephemeral ports {begin}-{end} (net.ipv4.ip_local_port_range)");
        }
        var eth0 = await PublicInterface.DetectAsync(host, _options.Eth0Name, cancellationToken);
        var isolator = new PortMappingIsolator(host, eth0, _options.EgressRateLimitPerContainer);
        await isolator.EnsureHostAsync(cancellationToken);
        _isolator = isolator;
        return isolator;
    }
}
