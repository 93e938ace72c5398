using System.Net;
using Harrier.Dns.Records;
using Harrier.Dns.Zones;
using Xunit;

namespace Harrier.Dns.Tests.Records;

public sealed class RecordBookTests
{
    private static readonly DiscoveryAgent Agent = new("c-S0", "10.0.1.21", [IPAddress.Parse("10.0.1.21")], 5051);

    private static DiscoveryTask Task(string id, string ip, params int[] ports) =>
        new(id, "web.prod", "c-S0", DiscoveryTask.Running, [IPAddress.Parse(ip)], ports, new DiscoveryInfo("web.prod", [new DiscoveryPort(ports[0], "http", "tcp", [])]));

    [Theory]
    [MemberData(nameof(Fixtures.MesosDnsExpectations), MemberType = typeof(Fixtures))]
    public void SetAll_FixtureTaskByTaskInRandomOrder_EqualsGenerate(string file)
    {
        var (state, config, _) = Fixtures.MesosDnsCase(file);
        var contributions = MesosDnsRecords.Contributions(state, config).ToList();
        var expected = Lower(MesosDnsRecords.Generate(state, config));
        for (var seed = 1; seed <= 20; seed++)
        {
            var random = new Random(seed);
            var book = RecordBook.Empty();
            foreach (var contribution in contributions.OrderBy(_ => random.Next()))
            {
                book = book.Set(contribution);
            }

            Assert.True(expected.SequenceEqual(Fixtures.Lines(book.ToRecordSet())), $"seed {seed}");
            Assert.Equal(expected.Count(l => !l.StartsWith("A ", StringComparison.Ordinal) || IsIpLine(l)), Served(book).Count);
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures.MesosDnsExpectations), MemberType = typeof(Fixtures))]
    public void Remove_EachContributionOfAFullBook_ThenSetAgain_ReturnsToTheSameZone(string file)
    {
        var (state, config, _) = Fixtures.MesosDnsCase(file);
        var contributions = MesosDnsRecords.Contributions(state, config).ToList();
        var full = RecordBook.Empty().SetAll(contributions);
        var before = Served(full);

        foreach (var contribution in contributions)
        {
            var without = full.Remove(contribution.Key);
            var withoutLines = Fixtures.Lines(without.ToRecordSet());
            var expectedWithout = Lower(RecordSet.From(contributions.Where(c => c.Key != contribution.Key).SelectMany(c => c.Records)));
            Assert.Equal(expectedWithout, withoutLines);

            Assert.Equal(before, Served(without.Set(contribution)));
        }
        Assert.Equal(before, Served(full));
    }

    [Fact]
    public void Remove_OneOfTwoTasksSharingAName_NameKeepsTheOtherTasksAddress()
    {
        var config = DnsConfig.Default;
        var one = MesosDnsRecords.Task(Task("web.1", "9.0.0.1", 31000), "marathon", Agent, config);
        var two = MesosDnsRecords.Task(Task("web.2", "9.0.0.2", 31001), "marathon", Agent, config);
        var book = RecordBook.Empty().SetAll([one, two]);

        var after = book.Remove(one.Key);

        Assert.Equal([IPAddress.Parse("9.0.0.1"), IPAddress.Parse("9.0.0.2")], book.Names["web-prod.marathon.mesos."].A);
        Assert.Equal([IPAddress.Parse("9.0.0.2")], after.Names["web-prod.marathon.mesos."].A);
        Assert.Equal([IPAddress.Parse("10.0.1.21")], after.Names["web-prod.marathon.slave.mesos."].A);
        Assert.Single(after.Names["_web-prod._tcp.marathon.mesos."].Srv);
        Assert.False(after.Names.ContainsKey(one.Records[1].Name.ToLowerInvariant()));
        Assert.Empty(after.Remove(two.Key).Names);
    }

    [Fact]
    public void ToZone_Book_ServesLowerCaseNamesWithSrvWeight()
    {
        var task = Task("web.1", "9.0.0.1", 31000) with { Discovery = new DiscoveryInfo("Web.Prod", [new DiscoveryPort(31000, "http", "tcp", [])]) };
        var book = RecordBook.Empty(srvWeight: 7).Set(MesosDnsRecords.Task(task, "marathon", Agent, DnsConfig.Default));
        var authority = new ZoneAuthority("mesos.", 60, "ns1.mesos.", "root.ns1.mesos.", 1);

        var zone = book.ToZone([authority]);

        Assert.True(zone.TryGet("web.prod.marathon.mesos.", out var legacy));
        Assert.Equal([IPAddress.Parse("9.0.0.1")], legacy.A);
        Assert.True(zone.TryGet("_http._web.prod._tcp.marathon.mesos.", out var srv));
        var record = Assert.Single(srv.Srv);
        Assert.Equal(7, record.Weight);
        Assert.Equal(31000, record.Port);
        Assert.StartsWith("web.prod-", record.Target, StringComparison.Ordinal);
        Assert.Same(authority, zone.AuthorityFor("web.prod.marathon.mesos."));
    }

    [Fact]
    public void Set_SameContributionAgain_SameBook()
    {
        var contribution = MesosDnsRecords.Task(Task("web.1", "9.0.0.1", 31000), "marathon", Agent, DnsConfig.Default);
        var book = RecordBook.Empty().Set(contribution);

        Assert.Same(book.Names["web-prod.marathon.mesos."], book.Set(contribution).Names["web-prod.marathon.mesos."]);
    }

    private static List<string> Lower(RecordSet set) =>
        Fixtures.Lines(RecordSet.From(set.Records.Select(r => r with { Name = r.Name.ToLowerInvariant() })));

    private static bool IsIpLine(string line) => IPAddress.TryParse(line.Split(' ')[2], out _);

    /// <summary>What a DNS server would answer from the book, as sorted lines.</summary>
    private static List<string> Served(RecordBook book) =>
    [
        .. book.Names.SelectMany(n =>
            n.Value.A.Select(ip => $"A {n.Key} {ip}")
                .Concat(n.Value.Aaaa.Select(ip => $"AAAA {n.Key} {ip}"))
                .Concat(n.Value.Srv.Select(s => $"SRV {n.Key} {s.Target}:{s.Port} {s.Priority} {s.Weight}")))
            .Order(StringComparer.Ordinal),
    ];
}
