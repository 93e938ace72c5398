using Harrier.Core.Networks;
using Harrier.Networking;

namespace Harrier.Agent.Launch.Networks;

/// <summary>
/// The networks this agent offers tasks and the state they share: Harrier's bridge, the overlays' local slices, and
/// the nftables table with every port mapping. Devices and the table are made on first use (an agent whose tasks all
/// use host networking changes nothing on its host) and kept across agent restarts, since running tasks hang off them.
/// </summary>
internal sealed class AgentNetworks : IDisposable
{
    private readonly SemaphoreSlim _setup = new(1, 1);
    private readonly List<Ipv4Cidr> _taskSubnets = [];
    private readonly List<Ipv4Cidr> _internal = [];
    private readonly List<IpAllocator> _otherAllocators = [];
    /// <summary>Every host-port mapping in the NAT table: (protocol, host port) → the task's address and port.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Protocol, int HostPort), (System.Net.IPAddress Address, int Port)> _mapped = new();
    private bool _bridgeReady;
    private bool _natReady;

    public AgentNetworks(string stateDirectory, Ipv4Cidr? bridgeCidr, HostNamespace? host = null, string bridgeDevice = "harrier0", int mtu = 1500)
    {
        StateDirectory = stateDirectory;
        Host = host ?? HostNamespace.Current;
        Nat = new NatTable(Host);
        if (bridgeCidr is { } cidr)
        {
            Bridge = new BridgeNetwork(Host, bridgeDevice, cidr, mtu, new IpAllocator(cidr, Path.Combine(stateDirectory, "bridge")));
            _taskSubnets.Add(cidr);
        }
        Overlays = new AgentOverlays(this);
    }

    /// <summary>Where DNS queries of tasks in their own namespaces go (<c>--task-dns</c>): the NAT table sends port 53 of
    /// their gateway there, and their resolv.conf names the gateway. Null: tasks get the host's resolv.conf.</summary>
    public System.Net.IPEndPoint? TaskDns
    {
        get => Nat.TaskDns;
        init => Nat.TaskDns = value;
    }

    /// <summary>The overlays the server put this agent on.</summary>
    public AgentOverlays Overlays { get; }

    /// <summary>Where the agent's devices and rules live (its own namespace but in tests).</summary>
    public HostNamespace Host { get; }

    /// <summary>Where network allocations are kept (one directory per network).</summary>
    public string StateDirectory { get; }

    public NatTable Nat { get; }

    /// <summary>The named networks loaded from CNI configuration (<c>--cni-config-dir</c>).</summary>
    public Networking.Cni.CniConfigSet Cni { get; init; } = Networking.Cni.CniConfigSet.Empty;

    /// <summary>Harrier's <c>container/bridge</c> network; null when the agent offers none.</summary>
    public BridgeNetwork? Bridge { get; }

    /// <summary>Makes the addresses of another network (an overlay slice) count as held in the start-up reconciliation.</summary>
    public void TrackAllocator(IpAllocator allocator)
    {
        lock (_otherAllocators)
        {
            _otherAllocators.Add(allocator);
        }
    }

    /// <summary>Every address held on the networks besides the bridge.</summary>
    public IEnumerable<System.Net.IPAddress> HeldAddresses()
    {
        lock (_otherAllocators)
        {
            return [.. _otherAllocators.SelectMany(a => a.Allocations().Select(x => x.Address))];
        }
    }

    /// <summary>The bridge, made and addressed if it is not there yet, with the NAT table in place.</summary>
    public async Task<BridgeNetwork> EnsureBridgeAsync(CancellationToken cancellationToken)
    {
        var bridge = Bridge ?? throw new NetworkSetupException("this agent has no bridge network");
        if (_bridgeReady)
        {
            return bridge;
        }
        await _setup.WaitAsync(cancellationToken);
        try
        {
            if (!_bridgeReady)
            {
                await bridge.EnsureAsync(cancellationToken);
                await EnsureNatLockedAsync();
                _bridgeReady = true;
            }
        }
        finally
        {
            _setup.Release();
        }
        return bridge;
    }

    /// <summary>Adds a network whose tasks are masqueraded when they leave it (an overlay slice) and destinations that are
    /// not (the whole overlay); rebuilds the NAT table's sets keeping every mapping.</summary>
    public async Task AddSubnetsAsync(Ipv4Cidr taskSubnet, Ipv4Cidr internalNetwork, CancellationToken cancellationToken)
    {
        await _setup.WaitAsync(cancellationToken);
        try
        {
            if (!_taskSubnets.Contains(taskSubnet))
            {
                _taskSubnets.Add(taskSubnet);
            }
            if (!_internal.Contains(internalNetwork))
            {
                _internal.Add(internalNetwork);
            }
            _natReady = false;
            await EnsureNatLockedAsync();
        }
        finally
        {
            _setup.Release();
        }
    }

    /// <summary>At agent start: rebuilds the NAT table (when there is one) with only the mappings whose address is
    /// still held by a live task, in one transaction. The held addresses are read under the same lock that every
    /// mapping change takes, so a task released meanwhile can never have its mapping brought back.</summary>
    public async Task ReconcileNatAsync(Func<ISet<System.Net.IPAddress>> held)
    {
        await _setup.WaitAsync();
        try
        {
            if (!await Nat.ExistsAsync())
            {
                return;
            }
            var current = await Nat.ListAsync();
            var live = held();
            var kept = current.Where(e => live.Contains(e.Address)).ToList();
            await Nat.ReplaceAsync(_taskSubnets, _internal, kept);
            Index(kept, add: true);
            _natReady = true;
        }
        finally
        {
            _setup.Release();
        }
    }

    /// <summary>Adds a task's mappings (serialized with the start-up rebuild).</summary>
    public async Task AddMappingsAsync(IReadOnlyCollection<PortMapEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }
        await _setup.WaitAsync();
        try
        {
            await Nat.AddAsync(entries);
            Index(entries, add: true);
        }
        finally
        {
            _setup.Release();
        }
    }

    /// <summary>Removes a task's mappings (serialized with the start-up rebuild).</summary>
    public async Task RemoveMappingsAsync(IReadOnlyCollection<PortMapEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }
        await _setup.WaitAsync();
        try
        {
            await Nat.RemoveAsync(entries);
            Index(entries, add: false);
        }
        finally
        {
            _setup.Release();
        }
    }

    /// <summary>Where this agent's NAT table sends <paramref name="protocol"/> traffic for <paramref name="hostPort"/>: a
    /// VIP backend on this agent's host port goes straight there (one connection gets one DNAT).</summary>
    public bool TryMapped(string protocol, int hostPort, out System.Net.IPAddress address, out int port)
    {
        var found = _mapped.TryGetValue((protocol, hostPort), out var target);
        (address, port) = found ? target : (System.Net.IPAddress.None, 0);
        return found;
    }

    /// <summary>Called after the mappings changed (the VIPs translate local backends through them).</summary>
    public event Action? MappingsChanged;

    internal void Index(IEnumerable<PortMapEntry> entries, bool add)
    {
        foreach (var e in entries)
        {
            if (add)
            {
                _mapped[(e.Protocol, e.HostPort)] = (e.Address, e.ContainerPort);
            }
            else
            {
                _mapped.TryRemove((e.Protocol, e.HostPort), out _);
            }
        }
        MappingsChanged?.Invoke();
    }

    public void Dispose()
    {
        _setup.Dispose();
        Overlays.Dispose();
    }

    private async Task EnsureNatLockedAsync()
    {
        if (_natReady)
        {
            return;
        }
        await Nat.ReplaceAsync(_taskSubnets, _internal, await Nat.ListAsync());
        _natReady = true;
    }
}
