using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using Harrier.Dns.Zones;

namespace Harrier.Dns.Records;

/// <summary>
/// The incremental form of the generated zones: each source's records (<see cref="RecordContribution"/>, one per
/// task, agent, framework, masters) kept under its key, every record reference-counted, and the per-name view a DNS
/// server reads — all persistent immutable maps, so setting or withdrawing one task costs O(its records · log n) and
/// every version is a snapshot that can be handed to <see cref="ZoneSnapshot"/> without copying. A record two tasks
/// contribute (two tasks of one app behind <c>web.marathon.mesos</c>) stays until the last of them goes. Names are
/// lower-cased here (Mesos-DNS compares lower-cased); values that are not addresses (an agent host name that did not
/// resolve) are counted but not served.
/// </summary>
public sealed class RecordBook
{
    private readonly ImmutableDictionary<string, RecordContribution> _contributions;
    private readonly ImmutableDictionary<DnsRecord, int> _counts;
    private readonly ImmutableDictionary<string, NameRecords> _names;

    private RecordBook(
        ImmutableDictionary<string, RecordContribution> contributions,
        ImmutableDictionary<DnsRecord, int> counts,
        ImmutableDictionary<string, NameRecords> names,
        ushort srvWeight)
    {
        _contributions = contributions;
        _counts = counts;
        _names = names;
        SrvWeight = srvWeight;
    }

    /// <summary>An empty book whose SRV records carry <paramref name="srvWeight"/> (Mesos-DNS's
    /// <c>srvRecordDefaultWeight</c>, 1).</summary>
    public static RecordBook Empty(ushort srvWeight = 1) =>
        new(ImmutableDictionary.Create<string, RecordContribution>(StringComparer.Ordinal),
            ImmutableDictionary<DnsRecord, int>.Empty,
            ImmutableDictionary.Create<string, NameRecords>(StringComparer.Ordinal),
            srvWeight);

    public ushort SrvWeight { get; }

    /// <summary>Lower-case absolute name → its records (immutable; safe to keep).</summary>
    public IReadOnlyDictionary<string, NameRecords> Names => _names;

    public IEnumerable<RecordContribution> Contributions => _contributions.Values;

    public int Count => _names.Count;

    public bool TryGetContribution(string key, out RecordContribution contribution) =>
        _contributions.TryGetValue(key, out contribution!);

    /// <summary>The zone a DNS server reads: this book's names, shared, under <paramref name="authorities"/>.</summary>
    public ZoneSnapshot ToZone(IEnumerable<ZoneAuthority> authorities) => new(authorities, _names);

    /// <summary>Every record the book holds (names lower-cased) as a record set.</summary>
    public RecordSet ToRecordSet() => RecordSet.From(_counts.Keys);

    /// <summary>Adds a contribution, replacing the one with the same key.</summary>
    public RecordBook Set(RecordContribution contribution) => SetAll([contribution]);

    public RecordBook Remove(string key) => Apply([], [key]);

    /// <summary>Adds or replaces many contributions in one step.</summary>
    public RecordBook SetAll(IEnumerable<RecordContribution> contributions) => Apply(contributions, []);

    /// <summary>Replaces and withdraws contributions in one step (one new version).</summary>
    public RecordBook Apply(IEnumerable<RecordContribution> set, IEnumerable<string> remove)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(remove);
        var edit = new Edit(_contributions.ToBuilder(), _counts.ToBuilder(), _names.ToBuilder(), SrvWeight);
        foreach (var key in remove)
        {
            edit.Withdraw(key);
        }
        foreach (var contribution in set)
        {
            if (_contributions.TryGetValue(contribution.Key, out var old) && old == contribution)
            {
                continue;
            }
            edit.Withdraw(contribution.Key);
            edit.Add(contribution);
        }
        return new RecordBook(edit.Contributions.ToImmutable(), edit.Counts.ToImmutable(), edit.Names.ToImmutable(), SrvWeight);
    }

    private sealed record Edit(
        ImmutableDictionary<string, RecordContribution>.Builder Contributions,
        ImmutableDictionary<DnsRecord, int>.Builder Counts,
        ImmutableDictionary<string, NameRecords>.Builder Names,
        ushort SrvWeight)
    {
        public void Withdraw(string key)
        {
            if (!Contributions.Remove(key, out var old))
            {
                return;
            }
            foreach (var record in Normalised(old.Records))
            {
                var count = Counts[record] - 1;
                if (count > 0)
                {
                    Counts[record] = count;
                    continue;
                }
                Counts.Remove(record);
                Change(record, add: false);
            }
        }

        public void Add(RecordContribution contribution)
        {
            Contributions[contribution.Key] = contribution;
            foreach (var record in Normalised(contribution.Records))
            {
                var count = Counts.GetValueOrDefault(record);
                Counts[record] = count + 1;
                if (count == 0)
                {
                    Change(record, add: true);
                }
            }
        }

        private void Change(DnsRecord record, bool add)
        {
            var current = Names.GetValueOrDefault(record.Name) ?? NoRecords;
            NameRecords? next = record.Kind switch
            {
                RecordKind.Srv when Srv(record) is { } srv => current with { Srv = Toggle((ImmutableSortedSet<SrvData>)current.Srv, srv, add) },
                RecordKind.A when Address(record) is { } ip => current with { A = Toggle((ImmutableSortedSet<IPAddress>)current.A, ip, add) },
                RecordKind.Aaaa when Address(record) is { } ip => current with { Aaaa = Toggle((ImmutableSortedSet<IPAddress>)current.Aaaa, ip, add) },
                _ => null,
            };
            if (next is null)
            {
                return;
            }
            if (next.A.Count + next.Aaaa.Count + next.Srv.Count == 0)
            {
                Names.Remove(record.Name);
            }
            else
            {
                Names[record.Name] = next;
            }
        }

        private static ImmutableSortedSet<T> Toggle<T>(ImmutableSortedSet<T> set, T value, bool add) => add ? set.Add(value) : set.Remove(value);

        private static IPAddress? Address(DnsRecord record) => IPAddress.TryParse(record.Value, out var ip) ? ip : null;

        private SrvData? Srv(DnsRecord record)
        {
            var colon = record.Value.LastIndexOf(':');
            return colon > 0 && ushort.TryParse(record.Value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                ? new SrvData(record.Value[..colon].ToLowerInvariant(), port, 0, SrvWeight)
                : null;
        }

        // A contribution may list a record twice (Mesos-DNS inserts into sets); it counts once per contribution.
        private static IEnumerable<DnsRecord> Normalised(IReadOnlyList<DnsRecord> records) =>
            records.Where(r => r.Value.Length > 0).Select(r => r with { Name = r.Name.ToLowerInvariant() }).Distinct();
    }

    private static readonly NameRecords NoRecords = new(
        ImmutableSortedSet.Create(RecordOrder.Addresses),
        ImmutableSortedSet.Create(RecordOrder.Addresses),
        ImmutableSortedSet.Create(RecordOrder.Srv));
}
