using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Networks;
using Harrier.Core.Resources;
using Harrier.Protocol;
using Harrier.Server.Cluster;

namespace Harrier.Server.Orchestration;

/// <summary>
/// The overlays' control plane (DC/OS's overlay master): every agent gets a slice of each overlay at its first
/// registration, which it keeps (it is stored with the agent, so a server restart or a re-registration never moves
/// a running task's address); and every connected agent is told the others' slices and VXLAN endpoints whenever that
/// set changes (an agent joins, is lost, comes back), so each programs routes for exactly the live peers.
/// </summary>
internal sealed class OverlayAssigner(ServerOptions options)
{
    /// <summary>The overlay's members reachable over an underlay (agents with an overlay address), as last published:
    /// their address and slices. Agents without an address (a single host, simulated agents) get their own
    /// configuration and are nobody's peer, so they cost nothing here.</summary>
    private readonly Dictionary<AgentId, string> _members = [];

    /// <summary>Per overlay: slice → the agent holding it (built from the stored agents at first use).</summary>
    private Dictionary<string, Dictionary<string, AgentId>>? _taken;

    /// <summary>The agent's slices: those it had (still valid and not taken by another agent), else the lowest free
    /// ones. An overlay with no free slice left is simply not offered to the agent.</summary>
    public ValueMap<string> Assign(ClusterSnapshot snapshot, AgentInfo agent, AgentInfo? before)
    {
        _taken ??= options.Overlays.ToDictionary(
            o => o.Name,
            o => snapshot.Agents.Values
                .Where(a => a.Info.OverlaySubnets.TryGetValue(o.Name, out _))
                .GroupBy(a => a.Info.OverlaySubnets[o.Name], StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().Info.Id, StringComparer.Ordinal),
            StringComparer.Ordinal);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var overlay in options.Overlays)
        {
            var taken = _taken[overlay.Name];
            if (before is not null && before.OverlaySubnets.TryGetValue(overlay.Name, out var had)
                && Ipv4Cidr.TryParse(had, out var kept, out _) && kept.Prefix == overlay.SubnetPrefix
                && overlay.Cidr.Contains(Ipv4Cidr.ToAddress(kept.Network))
                && (!taken.TryGetValue(had, out var holder) || holder == agent.Id))
            {
                taken[had] = agent.Id;
                result[overlay.Name] = had;
                continue;
            }
            for (long i = 0; i < overlay.Cidr.SubnetCount(overlay.SubnetPrefix); i++)
            {
                var candidate = overlay.Cidr.Subnet(overlay.SubnetPrefix, i).ToString();
                if (!taken.ContainsKey(candidate))
                {
                    taken[candidate] = agent.Id;
                    result[overlay.Name] = candidate;
                    break;
                }
            }
        }
        return new ValueMap<string>(result);
    }

    /// <summary>An agent (re)registered: it gets its configuration, and when that changes the membership (a new
    /// peer, a new address), every member gets theirs.</summary>
    public void Registered(Mutation m, AgentInfo agent)
    {
        if (options.Overlays.Count == 0)
        {
            return;
        }
        var changed = false;
        if (agent.OverlayAddress is null)
        {
            changed = _members.Remove(agent.Id);
        }
        else
        {
            var entry = agent.OverlayAddress + "|" + string.Join(",", agent.OverlaySubnets.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));
            changed = !_members.TryGetValue(agent.Id, out var old) || old != entry;
            _members[agent.Id] = entry;
        }
        var peers = Peers(m);
        m.Send(agent.Id, ConfigFor(agent, peers));
        if (changed)
        {
            foreach (var peer in peers.Where(p => p.Id != agent.Id))
            {
                m.Send(peer.Id, ConfigFor(peer, peers));
            }
        }
    }

    /// <summary>Agents were lost: the members that are gone leave, and the others are told.</summary>
    public void Lost(Mutation m)
    {
        var gone = _members.Keys.Where(id => !m.Snapshot.Agents.TryGetValue(id, out var a) || a.Lost || !a.Connected).ToList();
        if (gone.Count == 0)
        {
            return;
        }
        foreach (var id in gone)
        {
            _members.Remove(id);
        }
        var peers = Peers(m);
        foreach (var peer in peers)
        {
            m.Send(peer.Id, ConfigFor(peer, peers));
        }
    }

    private List<AgentInfo> Peers(Mutation m) =>
        [.. _members.Keys.Select(id => m.Snapshot.Agents.TryGetValue(id, out var a) ? a.Info : null).OfType<AgentInfo>()];

    private OverlayConfigCommand ConfigFor(AgentInfo agent, List<AgentInfo> members)
    {
        var overlays = new List<OverlayAssignment>(options.Overlays.Count);
        foreach (var overlay in options.Overlays)
        {
            if (!agent.OverlaySubnets.TryGetValue(overlay.Name, out var own))
            {
                continue;
            }
            var peers = members
                .Where(p => p.Id != agent.Id && p.OverlayAddress is not null && p.OverlaySubnets.TryGetValue(overlay.Name, out _))
                .Select(p => new OverlayPeer(p.Id.Value, p.OverlaySubnets[overlay.Name], p.OverlayAddress!));
            overlays.Add(new OverlayAssignment(overlay.Name, overlay.Cidr.ToString(), own, overlay.Vni, new ValueList<OverlayPeer>(peers)));
        }
        return new OverlayConfigCommand(new ValueList<OverlayAssignment>(overlays));
    }
}
