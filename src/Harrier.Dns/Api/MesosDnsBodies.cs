using System.Text.Json.Nodes;
using Harrier.Dns.Records;

namespace Harrier.Dns.Api;

/// <summary>
/// The bodies of Mesos-DNS's HTTP API (<c>resolver/resolver.go</c> Rest*) as pure functions of a
/// <see cref="RecordBook"/>; the server maps them to routes. Shapes and quirks are Mesos-DNS's: a miss on
/// <c>/v1/hosts</c> or <c>/v1/services</c> is HTTP 200 with one element whose fields are all empty strings; ports are
/// strings; names get a trailing dot and a <c>.*</c> wildcard fragment is removed. Mesos-DNS listed values in Go map
/// order (random); these are sorted, so answers are stable.
/// </summary>
public static class MesosDnsBodies
{
    public const string Url = "https://github.com/mesosphere/mesos-dns";

    /// <summary><c>GET /v1/version</c>.</summary>
    public static JsonObject Version(string version) => new()
    {
        ["Service"] = "Mesos-DNS",
        ["URL"] = Url,
        ["Version"] = version,
    };

    /// <summary><c>GET /v1/hosts/{host}</c>: <c>[{"host":"&lt;fqdn.&gt;","ip":"…"}]</c>, A then AAAA.</summary>
    public static JsonArray Hosts(RecordBook book, string host)
    {
        ArgumentNullException.ThrowIfNull(book);
        var name = Clean(host);
        var result = new JsonArray();
        if (book.Names.TryGetValue(name, out var records))
        {
            foreach (var ip in records.A.Concat(records.Aaaa))
            {
                result.Add(new JsonObject { ["host"] = name, ["ip"] = DnsRecord.Format(ip) });
            }
        }
        if (result.Count == 0)
        {
            result.Add(new JsonObject { ["host"] = "", ["ip"] = "" });
        }
        return result;
    }

    /// <summary><c>GET /v1/services/{service}</c>: one element per SRV target address (the target's first A and first
    /// AAAA), <c>service</c> echoing the request as written.</summary>
    public static JsonArray Services(RecordBook book, string service)
    {
        ArgumentNullException.ThrowIfNull(book);
        var result = new JsonArray();
        if (book.Names.TryGetValue(Clean(service), out var records))
        {
            foreach (var srv in records.Srv)
            {
                if (!book.Names.TryGetValue(srv.Target, out var target))
                {
                    continue;
                }
                foreach (var ip in target.A.Take(1).Concat(target.Aaaa.Take(1)))
                {
                    result.Add(Service(service, srv.Target, DnsRecord.Format(ip), srv.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }
            }
        }
        if (result.Count == 0)
        {
            result.Add(Service("", "", "", ""));
        }
        return result;
    }

    /// <summary><c>GET /v1/enumerate</c>: frameworks with their running tasks and each task's records. Mesos-DNS left
    /// out of a task's list the records an earlier task had already inserted (its sets refuse duplicates); here every
    /// task lists all of its own records.</summary>
    public static JsonObject Enumerate(RecordBook book)
    {
        ArgumentNullException.ThrowIfNull(book);
        var mesos = book.Contributions.Where(IsMesos).ToList();
        var names = mesos.Select(c => c.Framework).OfType<string>().Distinct().Order(StringComparer.Ordinal);
        var frameworks = new JsonArray();
        foreach (var framework in names)
        {
            var tasks = new JsonArray();
            foreach (var c in mesos.Where(c => c.Framework == framework && c.Task is not null)
                .OrderBy(c => c.Task!.Value.Name, StringComparer.Ordinal).ThenBy(c => c.Task!.Value.Id, StringComparer.Ordinal))
            {
                var records = new JsonArray();
                foreach (var r in c.Records.Where(r => r.Value.Length > 0).Distinct())
                {
                    records.Add(new JsonObject { ["name"] = r.Name, ["host"] = r.Value, ["rtype"] = RType(r.Kind) });
                }
                tasks.Add(new JsonObject { ["name"] = c.Task!.Value.Name, ["id"] = c.Task.Value.Id, ["records"] = records });
            }
            frameworks.Add(new JsonObject { ["tasks"] = tasks, ["name"] = framework });
        }
        return new JsonObject { ["frameworks"] = frameworks };
    }

    /// <summary><c>GET /v1/axfr</c>: the whole <c>mesos</c> zone as dcos-net mirrored it
    /// (<c>{"TTL","Serial","RefreshSeconds","Mname","Rname","Domain","Records":{"As","AAAAs","SRVs"}}</c>).</summary>
    public static JsonObject Axfr(RecordBook book, DnsConfig config, uint serial)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(config);
        var set = RecordSet.From(book.Contributions.Where(IsMesos).SelectMany(c => c.Records));
        return new JsonObject
        {
            ["TTL"] = config.Ttl,
            ["Serial"] = serial,
            ["RefreshSeconds"] = config.RefreshSeconds,
            ["Mname"] = config.SoaMname,
            ["Rname"] = config.SoaRname,
            ["Domain"] = config.Domain,
            ["Records"] = new JsonObject
            {
                ["As"] = Map(set.A),
                ["AAAAs"] = Map(set.Aaaa),
                ["SRVs"] = Map(set.Srv),
            },
        };
    }

    /// <summary><c>GET /v1/config</c>: the configuration under Mesos-DNS's field names.</summary>
    public static JsonObject Config(DnsConfig config, IReadOnlyList<string> masters, uint serial)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(masters);
        return new JsonObject
        {
            ["RefreshSeconds"] = config.RefreshSeconds,
            ["Port"] = config.Port,
            ["HttpPort"] = config.HttpPort,
            ["TTL"] = config.Ttl,
            ["SRVRecordDefaultWeight"] = config.SrvRecordDefaultWeight,
            ["SOASerial"] = serial,
            ["SOARefresh"] = config.SoaRefresh,
            ["SOARetry"] = config.SoaRetry,
            ["SOAExpire"] = config.SoaExpire,
            ["SOAMinttl"] = config.SoaMinttl,
            ["SOAMname"] = config.SoaMname,
            ["SOARname"] = config.SoaRname,
            ["Masters"] = new JsonArray([.. masters.Select(m => JsonValue.Create(m))]),
            ["Resolvers"] = new JsonArray([.. config.Resolvers.Select(r => JsonValue.Create(r))]),
            ["IPSources"] = new JsonArray([.. config.IpSources.Select(s => JsonValue.Create(s))]),
            ["Domain"] = config.Domain,
            ["Listener"] = config.Listener,
            ["EnforceRFC952"] = config.LabelRule == LabelRule.Rfc952,
            ["SetTruncateBit"] = config.SetTruncateBit,
            ["EnumerationOn"] = config.EnumerationOn,
        };
    }

    private static bool IsMesos(RecordContribution c) => c.Key.StartsWith("mesos/", StringComparison.Ordinal);

    private static JsonObject Service(string service, string host, string ip, string port) =>
        new() { ["service"] = service, ["host"] = host, ["ip"] = ip, ["port"] = port };

    private static string RType(RecordKind kind) => kind switch
    {
        RecordKind.A => "A",
        RecordKind.Aaaa => "AAAA",
        _ => "SRV",
    };

    private static JsonObject Map(IReadOnlyDictionary<string, System.Collections.Frozen.FrozenSet<string>> map)
    {
        var result = new JsonObject();
        foreach (var (name, values) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            result[name] = new JsonArray([.. values.Order(StringComparer.Ordinal).Select(v => JsonValue.Create(v))]);
        }
        return result;
    }

    /// <summary>Lower-cased, <c>.*</c> removed, absolute.</summary>
    private static string Clean(string name)
    {
        var clean = name.Replace(".*", "", StringComparison.Ordinal).ToLowerInvariant();
        return clean.EndsWith('.') ? clean : clean + ".";
    }
}
