using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Harrier.Core.Networks;

namespace Harrier.Dns.Vips;

/// <summary>
/// Addresses for named VIPs by dcos-net's rule (<c>dcos_l4lb_lashup_vip_listener add_mapping/init_ip</c>): with
/// Q = max − min, the first candidate is min + phash2(<c>label.framework</c>, Q); a taken candidate moves to the next
/// address, wrapping from max to min, for at most Q tries. A mapping lives until <see cref="Release"/> (a VIP lost its
/// last backend) or <see cref="Retain"/> drops it, so the same sequence of assignments gives the same addresses on
/// every node — collisions resolve by insertion order. IPv4 only. Not thread-safe: one owner mutates it.
/// </summary>
public sealed class NamedVipAllocator
{
    private readonly uint _min;
    private readonly uint _max;
    private readonly OrderedDictionary<(string Label, string Framework), NamedVip> _byName = new();
    private readonly Dictionary<uint, (string Label, string Framework)> _byAddress = [];

    public NamedVipAllocator(IPAddress min, IPAddress max)
    {
        ArgumentNullException.ThrowIfNull(min);
        ArgumentNullException.ThrowIfNull(max);
        if (min.AddressFamily != AddressFamily.InterNetwork || max.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException("named VIP ranges are IPv4");
        }
        _min = Ipv4Cidr.ToUInt(min);
        _max = Ipv4Cidr.ToUInt(max);
        if (_max <= _min)
        {
            throw new ArgumentException($"the named VIP range {min}-{max} is empty");
        }
    }

    /// <summary>dcos-net's built-in default, 11.0.0.0–11.255.255.254.</summary>
    public static NamedVipAllocator DcosNetDefault() => new(IPAddress.Parse("11.0.0.0"), IPAddress.Parse("11.255.255.254"));

    /// <summary>Every address of a CIDR, network to broadcast (11.0.0.0/8 is the DC/OS installer's default range,
    /// 11.0.0.0–11.255.255.255).</summary>
    public static NamedVipAllocator FromCidr(Ipv4Cidr cidr) =>
        new(cidr.At(0), cidr.At(cidr.Size - 1));

    /// <summary><c>11.0.0.0/8</c> or <c>11.0.0.0-11.255.255.254</c>.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out NamedVipAllocator? allocator, [NotNullWhen(false)] out string? error)
    {
        allocator = null;
        var dash = text?.IndexOf('-', StringComparison.Ordinal) ?? -1;
        if (dash > 0 && IPAddress.TryParse(text.AsSpan(0, dash), out var min) && IPAddress.TryParse(text.AsSpan(dash + 1), out var max)
            && min.AddressFamily == AddressFamily.InterNetwork && max.AddressFamily == AddressFamily.InterNetwork && Ipv4Cidr.ToUInt(max) > Ipv4Cidr.ToUInt(min))
        {
            allocator = new NamedVipAllocator(min, max);
            error = null;
            return true;
        }
        if (dash < 0 && Ipv4Cidr.TryParse(text, out var cidr, out error))
        {
            allocator = FromCidr(cidr);
            return true;
        }
        error = $"'{text}' is not a named VIP range (an IPv4 CIDR like 11.0.0.0/8, or min-max like 11.0.0.0-11.255.255.254)";
        return false;
    }

    public IPAddress Min => Ipv4Cidr.ToAddress(_min);

    public IPAddress Max => Ipv4Cidr.ToAddress(_max);

    /// <summary>The current mappings, oldest first.</summary>
    public IReadOnlyList<NamedVip> Mappings => [.. _byName.Values];

    /// <summary>Where probing starts for a name: min + phash2(key, max − min).</summary>
    public IPAddress FirstCandidate(string label, string framework) => Ipv4Cidr.ToAddress(_min + Offset(label, framework));

    public bool TryGet(string label, string framework, [NotNullWhen(true)] out NamedVip? vip) =>
        _byName.TryGetValue((label, framework), out vip);

    /// <summary>The VIP's address: the one it has, or a new one by the hash-and-probe rule; null when the range is full.</summary>
    public NamedVip? Assign(string label, string framework)
    {
        if (_byName.TryGetValue((label, framework), out var existing))
        {
            return existing;
        }
        var range = _max - _min;
        var candidate = _min + Offset(label, framework);
        for (var tries = range; tries > 0; tries--)
        {
            if (_byAddress.TryAdd(candidate, (label, framework)))
            {
                var vip = new NamedVip(label, framework, Ipv4Cidr.ToAddress(candidate));
                _byName.Add((label, framework), vip);
                return vip;
            }
            candidate = candidate == _max ? _min : candidate + 1;
        }
        return null;
    }

    /// <summary>Frees a VIP's address (its last backend went away).</summary>
    public bool Release(string label, string framework)
    {
        if (!_byName.Remove((label, framework), out var vip))
        {
            return false;
        }
        _byAddress.Remove(Ipv4Cidr.ToUInt(vip.Address));
        return true;
    }

    /// <summary>Frees every mapping not in <paramref name="live"/> (dcos-net's cleanup after each VIP change).</summary>
    public void Retain(IEnumerable<(string Label, string Framework)> live)
    {
        var keep = live.ToHashSet();
        foreach (var key in _byName.Keys.Where(k => !keep.Contains(k)).ToList())
        {
            Release(key.Label, key.Framework);
        }
    }

    private uint Offset(string label, string framework) =>
        ErlangPhash2.Hash(Encoding.UTF8.GetBytes(L4lbName.Key(label, framework)), _max - _min);
}
