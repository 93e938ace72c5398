using System.Collections.Frozen;

namespace Harrier.Dns.Records;

/// <summary>
/// A generated record set, as Mesos-DNS's <c>RecordGenerator</c> holds it: for A, AAAA and SRV, each name's set of
/// values. Immutable; equal record lists give equal sets whatever their order or repetitions.
/// </summary>
public sealed class RecordSet
{
    private RecordSet(
        FrozenDictionary<string, FrozenSet<string>> a,
        FrozenDictionary<string, FrozenSet<string>> aaaa,
        FrozenDictionary<string, FrozenSet<string>> srv)
    {
        A = a;
        Aaaa = aaaa;
        Srv = srv;
    }

    public static RecordSet Empty { get; } = From([]);

    public IReadOnlyDictionary<string, FrozenSet<string>> A { get; }

    public IReadOnlyDictionary<string, FrozenSet<string>> Aaaa { get; }

    public IReadOnlyDictionary<string, FrozenSet<string>> Srv { get; }

    public IReadOnlyDictionary<string, FrozenSet<string>> Of(RecordKind kind) => kind switch
    {
        RecordKind.A => A,
        RecordKind.Aaaa => Aaaa,
        _ => Srv,
    };

    /// <summary>Every record, in no particular order.</summary>
    public IEnumerable<DnsRecord> Records =>
        new[] { RecordKind.A, RecordKind.Aaaa, RecordKind.Srv }.SelectMany(kind =>
            Of(kind).SelectMany(pair => pair.Value.Select(value => new DnsRecord(pair.Key, kind, value))));

    public static RecordSet From(IEnumerable<DnsRecord> records)
    {
        var maps = new[] { new Dictionary<string, HashSet<string>>(), new Dictionary<string, HashSet<string>>(), new Dictionary<string, HashSet<string>>() };
        foreach (var record in records)
        {
            if (record.Value.Length == 0)
            {
                continue;
            }
            var map = maps[(int)record.Kind];
            if (!map.TryGetValue(record.Name, out var values))
            {
                map[record.Name] = values = new HashSet<string>(StringComparer.Ordinal);
            }
            values.Add(record.Value);
        }
        return new RecordSet(Freeze(maps[0]), Freeze(maps[1]), Freeze(maps[2]));
    }

    private static FrozenDictionary<string, FrozenSet<string>> Freeze(Dictionary<string, HashSet<string>> map) =>
        map.ToFrozenDictionary(p => p.Key, p => p.Value.ToFrozenSet(StringComparer.Ordinal), StringComparer.Ordinal);
}
