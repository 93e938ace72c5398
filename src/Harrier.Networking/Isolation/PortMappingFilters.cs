using System.Globalization;
using System.Text;

namespace Harrier.Networking.Isolation;

/// <summary>
/// The traffic-control filters of the port-mapping isolator as <c>tc -batch</c> scripts (a pure renderer; the isolator
/// applies them). A container's namespace has the host's address; traffic is steered by port, as Mesos' isolator did:
/// <list type="bullet">
/// <item>host <c>eth0</c> ingress: packets for the host's address whose destination port is one of the container's
/// (its assigned ports and its ephemeral block; TCP and UDP) are redirected to its veth; ARP, and ICMP for the host's
/// address, are copied to every container (each container's own filter, <c>continue</c>, so they reach the host too);</item>
/// <item>host <c>lo</c> ingress: the host's own connections to those ports (on any local address) go to the veth;</item>
/// <item>veth ingress (the container's traffic): from the container's ports to the host's address or 127/8 → host
/// <c>lo</c>, from its ports elsewhere → <c>eth0</c>, ARP and ICMP pass; everything else is dropped (nftables, see
/// <see cref="VethGuard"/>), so a task sends only from its own ports;</item>
/// <item>inside: <c>lo</c> keeps traffic to the container's own ports and sends the rest for the host's address or
/// 127/8 out of <c>eth0</c> to the host; <c>eth0</c> hands 127/8 traffic for its ports to <c>lo</c>.</item>
/// </list>
/// Host filters of a container share its priorities (<see cref="ArpPriority"/>, <see cref="IcmpPriority"/>,
/// <see cref="PortsPriority"/>, numbered by its ephemeral block's slot), so they are deleted and reconciled by priority.
/// </summary>
public static class PortMappingFilters
{
    /// <summary>The most containers the priority bands hold.</summary>
    public const int MaxSlots = 9999;

    private const int ArpBase = 10000;
    private const int IcmpBase = 20000;
    private const int PortsBase = 30000;
    private const string Loopback = "127.0.0.0/8";

    public static int ArpPriority(int slot) => ArpBase + Check(slot);

    public static int IcmpPriority(int slot) => IcmpBase + Check(slot);

    public static int PortsPriority(int slot) => PortsBase + Check(slot);

    /// <summary>The slot a host filter priority belongs to, or null for a priority outside the isolator's bands.</summary>
    public static int? SlotOf(int priority) => priority switch
    {
        >= ArpBase and < ArpBase + MaxSlots => priority - ArpBase,
        >= IcmpBase and < IcmpBase + MaxSlots => priority - IcmpBase,
        >= PortsBase and < PortsBase + MaxSlots => priority - PortsBase,
        _ => null,
    };

    /// <summary>Host <c>eth0</c> and <c>lo</c> filters that bring the container's ports (and ARP, ICMP) to its veth.</summary>
    public static string Host(PublicInterface eth0, string veth, int slot, IReadOnlyList<PortBlock> blocks)
    {
        var s = new StringBuilder();
        var dev = eth0.Name;
        Line(s, $"filter add dev {dev} parent ffff: protocol arp prio {ArpPriority(slot)} u32 match u32 0 0 action mirred egress mirror dev {veth} continue");
        Line(s, $"filter add dev {dev} parent ffff: protocol ip prio {IcmpPriority(slot)} u32 match ip protocol 1 0xff match ip dst {eth0.Address}/32 action mirred egress mirror dev {veth} continue");
        foreach (var block in blocks)
        {
            foreach (var protocol in new[] { 6, 17 })
            {
                Line(s, $"filter add dev {dev} parent ffff: protocol ip prio {PortsPriority(slot)} u32 match ip protocol {protocol} 0xff match ip dst {eth0.Address}/32 match ip dport {block.Match} action mirred egress redirect dev {veth}");
                Line(s, $"filter add dev lo parent ffff: protocol ip prio {PortsPriority(slot)} u32 match ip protocol {protocol} 0xff match ip dport {block.Match} action mirred egress redirect dev {veth}");
            }
        }
        return s.ToString();
    }

    /// <summary>Filters on the host end of the veth: where the container's packets may go.</summary>
    public static string Veth(PublicInterface eth0, string veth, IReadOnlyList<PortBlock> blocks)
    {
        var s = new StringBuilder();
        Line(s, $"qdisc add dev {veth} ingress");
        Line(s, $"filter add dev {veth} parent ffff: protocol arp prio 1 u32 match u32 0 0 action mirred egress redirect dev {eth0.Name}");
        Line(s, $"filter add dev {veth} parent ffff: protocol ip prio 2 u32 match ip protocol 1 0xff match ip dst {eth0.Address}/32 action mirred egress redirect dev lo");
        Line(s, $"filter add dev {veth} parent ffff: protocol ip prio 2 u32 match ip protocol 1 0xff match ip dst {Loopback} action mirred egress redirect dev lo");
        Line(s, $"filter add dev {veth} parent ffff: protocol ip prio 3 u32 match ip protocol 1 0xff action mirred egress redirect dev {eth0.Name}");
        foreach (var block in blocks)
        {
            Line(s, $"filter add dev {veth} parent ffff: protocol ip prio 4 u32 match ip sport {block.Match} match ip dst {eth0.Address}/32 action mirred egress redirect dev lo");
            Line(s, $"filter add dev {veth} parent ffff: protocol ip prio 4 u32 match ip sport {block.Match} match ip dst {Loopback} action mirred egress redirect dev lo");
            Line(s, $"filter add dev {veth} parent ffff: protocol ip prio 5 u32 match ip sport {block.Match} action mirred egress redirect dev {eth0.Name}");
        }
        return s.ToString();
    }

    /// <summary>Filters and the egress shaper inside the container (device <c>eth0</c> and <c>lo</c> of its namespace).</summary>
    public static string Container(PublicInterface eth0, IReadOnlyList<PortBlock> blocks, long? egressBytesPerSecond)
    {
        var s = new StringBuilder();
        Line(s, "qdisc add dev eth0 ingress");
        Line(s, "qdisc add dev lo ingress");
        foreach (var block in blocks)
        {
            Line(s, $"filter add dev eth0 parent ffff: protocol ip prio 1 u32 match ip dst {Loopback} match ip dport {block.Match} action mirred egress redirect dev lo");
            Line(s, $"filter add dev lo parent ffff: protocol ip prio 1 u32 match ip dport {block.Match} flowid ffff:1");
        }
        Line(s, $"filter add dev lo parent ffff: protocol ip prio 2 u32 match ip protocol 1 0xff match ip dst {eth0.Address}/32 flowid ffff:1");
        Line(s, $"filter add dev lo parent ffff: protocol ip prio 2 u32 match ip protocol 1 0xff match ip dst {Loopback} flowid ffff:1");
        Line(s, $"filter add dev lo parent ffff: protocol ip prio 3 u32 match ip dst {eth0.Address}/32 action mirred egress redirect dev eth0");
        Line(s, $"filter add dev lo parent ffff: protocol ip prio 3 u32 match ip dst {Loopback} action mirred egress redirect dev eth0");
        if (egressBytesPerSecond is { } rate)
        {
            // HTB rather than TBF, as Mesos: it caps the rate without a burst to tune, and copes with GSO packets.
            Line(s, "qdisc add dev eth0 root handle 1: htb default 1");
            Line(s, $"class add dev eth0 parent 1: classid 1:1 htb rate {(rate * 8).ToString(CultureInfo.InvariantCulture)}bit quantum 60000");
        }
        return s.ToString();
    }

    private static int Check(int slot) => slot is >= 0 and < MaxSlots ? slot : throw new ArgumentOutOfRangeException(nameof(slot));

    private static void Line(StringBuilder s, string line) => s.Append(line).Append('\n');
}
