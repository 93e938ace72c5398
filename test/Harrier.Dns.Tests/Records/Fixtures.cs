using System.Text.Json.Nodes;
using Harrier.Dns.Records;
using Harrier.Testing;
using Xunit;

namespace Harrier.Dns.Tests.Records;

/// <summary>The lb-fixtures golden data (shared/lb-fixtures, not in the repository) and the states and configs each
/// expected record set was produced from.</summary>
internal static class Fixtures
{
    public const string Folder = "lb-fixtures";

    /// <summary>The folder under lb-fixtures, or a skip (a failure when CI=true) naming it and HARRIER_SHARED.</summary>
    public static string Path(string sub)
    {
        var root = SharedData.Folder(Folder, out var skip);
        if (root is null)
        {
            Assert.Skip(skip!);
        }
        return System.IO.Path.Combine(root, sub);
    }

    public static JsonNode Json(string sub, string file) => JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(Path(sub), file)))!;

    /// <summary>The mesos-dns expected-records files (names only, so the theory lists them without the data present).</summary>
    public static TheoryData<string> MesosDnsExpectations() =>
    [
        "expected-records.fake.rfc1123.default-ipsources.json",
        "expected-records.fake.rfc952.docker-host.json",
        "expected-records.fake.rfc952.host.json",
        "expected-records.fake.rfc952.mesos-host.json",
        "expected-records.fake.rfc952.netinfo-docker-mesos-host.json",
        "expected-records.fake.rfc952.netinfo.json",
        "expected-records.marathon-groups.rfc1123.default-ipsources.json",
        "expected-records.marathon-groups.rfc952.default-ipsources.json",
    ];

    /// <summary>An expected-records file's state and configuration (domain, label rule, IP sources, leader, masters,
    /// listener, SOA mname as its header gives them).</summary>
    public static (DiscoveryState State, DnsConfig Config, JsonNode Expected) MesosDnsCase(string file)
    {
        var expected = Json("mesos-dns", file);
        var stateName = file.Split('.')[1];
        var config = DnsConfig.Default with
        {
            Domain = expected["domain"]!.GetValue<string>(),
            LabelRule = expected["label_spec"]!.GetValue<string>() == "RFC952" ? LabelRule.Rfc952 : LabelRule.Rfc1123,
            IpSources = [.. expected["ip_sources"]!.AsArray().Select(s => s!.GetValue<string>())],
            Listener = expected["listener"]!.GetValue<string>(),
            SoaMname = expected["soa_mname"]!.GetValue<string>(),
        };
        var state = MesosStateReader.Read(
            Json("mesos-dns", $"state-{stateName}.json"),
            expected["leader"]!.GetValue<string>(),
            [.. expected["masters"]!.AsArray().Select(m => m!.GetValue<string>())]);
        return (state, config, expected);
    }

    /// <summary>A fixture's A/AAAA/SRV maps as sorted "KIND name value" lines, for readable diffs.</summary>
    public static List<string> Lines(JsonNode expected) =>
    [
        .. new[] { ("A", "A"), ("AAAA", "AAAA"), ("SRV", "SRV") }.SelectMany(k =>
            expected[k.Item1]!.AsObject().SelectMany(p => p.Value!.AsArray().Select(v => $"{k.Item2} {p.Key} {v!.GetValue<string>()}"))).Order(StringComparer.Ordinal),
    ];

    public static List<string> Lines(RecordSet set) =>
    [
        .. set.Records.Select(r => $"{(r.Kind == RecordKind.Aaaa ? "AAAA" : r.Kind.ToString().ToUpperInvariant())} {r.Name} {r.Value}").Order(StringComparer.Ordinal),
    ];
}
