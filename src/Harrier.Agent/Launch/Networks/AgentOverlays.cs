using System.Text.Json;
using Harrier.Core.Networks;
using Harrier.Networking;
using Harrier.Protocol;
using Harrier.Protocol.Json;

namespace Harrier.Agent.Launch.Networks;

/// <summary>
/// The overlays this agent takes part in, as the server last configured them (<see cref="OverlayConfigCommand"/>): the
/// configuration is kept in the agent's work dir, so a restarted agent knows its tasks' overlay addresses before it
/// registers again. Applying a configuration makes the devices, adds the slices to the NAT table (tasks leaving the
/// overlay are masqueraded, overlay traffic never is) and programs exactly the peers listed.
/// </summary>
internal sealed class AgentOverlays : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, AgentOverlay> _overlays = new(StringComparer.Ordinal);
    private readonly AgentNetworks _networks;
    private readonly string _configFile;
    private OverlayConfigCommand? _latest;

    public AgentOverlays(AgentNetworks networks)
    {
        _networks = networks;
        _configFile = Path.Combine(networks.StateDirectory, "overlays.json");
        if (File.Exists(_configFile))
        {
            try
            {
                var saved = ProtocolJson.Deserialize<OverlayConfigCommand>(File.ReadAllBytes(_configFile));
                foreach (var assignment in saved.Overlays)
                {
                    Add(assignment);
                }
            }
            catch (Exception e) when (e is JsonException or IOException or FormatException)
            {
                // A damaged file: the server's next configuration replaces it.
            }
        }
    }

    /// <summary>The overlay named <paramref name="name"/>, or null when this agent is not on one by that name.</summary>
    public AgentOverlay? Find(string? name)
    {
        lock (_overlays)
        {
            return name is not null && _overlays.TryGetValue(name, out var overlay) ? overlay : null;
        }
    }

    public IReadOnlyList<AgentOverlay> All
    {
        get
        {
            lock (_overlays)
            {
                return [.. _overlays.Values];
            }
        }
    }

    /// <summary>Applies the server's configuration (serialized with launches, which wait for it).</summary>
    public async Task ApplyAsync(OverlayConfigCommand config, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _latest, config);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!ReferenceEquals(Volatile.Read(ref _latest), config))
            {
                return; // A newer configuration arrived meanwhile; it is applied instead, never this older one after it.
            }
            Directory.CreateDirectory(_networks.StateDirectory);
            var tmp = _configFile + ".tmp";
            await File.WriteAllBytesAsync(tmp, ProtocolJson.Serialize(config), cancellationToken);
            File.Move(tmp, _configFile, overwrite: true);
            foreach (var assignment in config.Overlays)
            {
                var overlay = Add(assignment);
                var peers = assignment.Peers
                    .Select(p => Ipv4Cidr.TryParse(p.Subnet, out var s, out _) && System.Net.IPAddress.TryParse(p.Address, out _) ? new VxlanPeer(s, p.Address) : null)
                    .OfType<VxlanPeer>().ToList();
                overlay.Peers = peers;
                // A single host (no peers) makes its devices at the first task on the overlay, so an agent that never
                // runs one changes nothing on its host; with peers they are made now, so the agent reaches their tasks.
                if (peers.Count > 0 || overlay.Ready)
                {
                    await EnsureLockedAsync(overlay, cancellationToken);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Makes the overlay's devices if no configuration has yet this agent process (a launch right after a restart).</summary>
    public async Task EnsureAsync(AgentOverlay overlay, CancellationToken cancellationToken)
    {
        if (overlay.Ready)
        {
            return;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await EnsureLockedAsync(overlay, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Makes (or adopts) the devices and programs the peers last configured.</summary>
    private async Task EnsureLockedAsync(AgentOverlay overlay, CancellationToken cancellationToken)
    {
        if (!overlay.Ready)
        {
            await overlay.Vxlan.EnsureAsync(overlay.Peers.Count > 0 ? overlay.Peers[0].Address : null, cancellationToken);
            overlay.Slice.Mtu = overlay.Vxlan.Mtu;
            await overlay.Slice.EnsureAsync(cancellationToken);
            // Addresses of the overlay that no agent holds are unreachable, never sent to the default route.
            await _networks.Host.IpAsync(["route", "replace", "unreachable", overlay.Cidr.ToString()], cancellationToken: cancellationToken);
            await _networks.AddSubnetsAsync(overlay.Subnet, overlay.Cidr, cancellationToken);
            overlay.Ready = true;
        }
        await overlay.Vxlan.SetPeersAsync(overlay.Peers, cancellationToken);
    }

    private AgentOverlay Add(OverlayAssignment assignment)
    {
        var cidr = Ipv4Cidr.Parse(assignment.Cidr);
        var subnet = Ipv4Cidr.Parse(assignment.Subnet);
        lock (_overlays)
        {
            if (_overlays.TryGetValue(assignment.Name, out var known) && known.Subnet == subnet && known.Cidr == cidr)
            {
                return known;
            }
            var key = LinkNames.Hash(assignment.Name, 6);
            var addresses = new IpAllocator(subnet, Path.Combine(_networks.StateDirectory, "overlay-" + key));
            _networks.TrackAllocator(addresses);
            var overlay = new AgentOverlay(assignment.Name, cidr, subnet,
                new RoutedNetwork(_networks.Host, subnet, 1500 - VxlanOverlay.Encapsulation, addresses),
                new VxlanOverlay(_networks.Host, "ovx" + key, subnet, assignment.Vni));
            _overlays[assignment.Name] = overlay;
            return overlay;
        }
    }
}
