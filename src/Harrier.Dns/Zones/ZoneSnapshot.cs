using System.Collections.Frozen;
using System.Net;

namespace Harrier.Dns.Zones;

/// <summary>An SRV record's data (RFC 2782). <see cref="Target"/> is a lower-case absolute name ending in a dot.</summary>
public sealed record SrvData(string Target, ushort Port, ushort Priority = 0, ushort Weight = 1);

/// <summary>Every record one name owns. Names are lower-case and absolute (end in a dot).</summary>
public sealed record NameRecords(IReadOnlyList<IPAddress> A, IReadOnlyList<IPAddress> Aaaa, IReadOnlyList<SrvData> Srv)
{
    public static NameRecords Empty { get; } = new([], [], []);
}

/// <summary>A zone Harrier answers for with authority (<c>mesos.</c>, <c>thisdcos.directory.</c>): its SOA, NS and the TTL
/// of its records. Mesos-DNS's defaults: refresh 60, retry 600, expire 86400, minimum (negative TTL) 60.</summary>
public sealed record ZoneAuthority(
    string Origin,
    uint Ttl,
    string SoaMname,
    string SoaRname,
    uint Serial,
    uint Refresh = 60,
    uint Retry = 600,
    uint Expire = 86400,
    uint Minimum = 60)
{
    /// <summary>The names of this zone's name servers (NS records at the origin); the SOA's mname when empty.</summary>
    public IReadOnlyList<string> NameServers { get; init; } = [];
}

/// <summary>
/// An immutable view of every name Harrier answers authoritatively: built once per change and swapped in whole, so a
/// DNS server reads it without locks. Lookups take a lower-case absolute name (<c>web.marathon.mesos.</c>).
/// </summary>
public sealed class ZoneSnapshot
{
    private readonly IReadOnlyDictionary<string, NameRecords> _names;
    private readonly ZoneAuthority[] _zones;

    /// <param name="names">Taken as is, not copied: the caller hands over an immutable dictionary (a frozen one, or the
    /// immutable one an incremental record book keeps) and never changes it.</param>
    public ZoneSnapshot(IEnumerable<ZoneAuthority> zones, IReadOnlyDictionary<string, NameRecords> names)
    {
        // Longest origin first, so the most specific zone wins.
        _zones = [.. zones.OrderByDescending(z => z.Origin.Length)];
        _names = names;
    }

    public static ZoneSnapshot Empty { get; } = new([], FrozenDictionary<string, NameRecords>.Empty);

    public IReadOnlyList<ZoneAuthority> Zones => _zones;

    public IEnumerable<KeyValuePair<string, NameRecords>> Names => _names;

    public int Count => _names.Count;

    /// <summary>The records of <paramref name="name"/> (lower-case, absolute), or false when it owns none.</summary>
    public bool TryGet(string name, out NameRecords records)
    {
        if (_names.TryGetValue(name, out var found))
        {
            records = found;
            return true;
        }
        records = NameRecords.Empty;
        return false;
    }

    /// <summary>The zone <paramref name="name"/> (lower-case, absolute) falls in, or null when Harrier is not its authority
    /// (the query is forwarded).</summary>
    public ZoneAuthority? AuthorityFor(string name)
    {
        foreach (var zone in _zones)
        {
            if (name.Length == zone.Origin.Length ? name == zone.Origin
                : name.EndsWith(zone.Origin, StringComparison.Ordinal) && name[name.Length - zone.Origin.Length - 1] == '.')
            {
                return zone;
            }
        }
        return null;
    }
}

/// <summary>Where a DNS server reads the current zone from: the newest snapshot, swapped whole.</summary>
public interface IZoneSource
{
    ZoneSnapshot Current { get; }
}
