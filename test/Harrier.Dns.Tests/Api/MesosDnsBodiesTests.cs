using System.Text.Json.Nodes;
using Harrier.Dns.Api;
using Harrier.Dns.Records;
using Harrier.Dns.Tests.Records;
using Xunit;

namespace Harrier.Dns.Tests.Api;

public sealed class MesosDnsBodiesTests
{
    private static (RecordBook Book, DnsConfig Config) MarathonGroups()
    {
        var (state, config, _) = Fixtures.MesosDnsCase("expected-records.marathon-groups.rfc1123.default-ipsources.json");
        var book = RecordBook.Empty().SetAll(MesosDnsRecords.Contributions(state, config))
            .SetAll(ThisDcosRecords.Contributions(state));
        return (book, config);
    }

    [Fact]
    public void Hosts_KnownNameAnyCaseWithoutDot_EveryAddress()
    {
        var (book, _) = MarathonGroups();

        var body = MesosDnsBodies.Hosts(book, "HTTPI.marathon.mesos");

        Assert.Equal("""[{"host":"httpi.marathon.mesos.","ip":"10.0.1.21"},{"host":"httpi.marathon.mesos.","ip":"10.0.1.22"}]""", body.ToJsonString());
    }

    [Fact]
    public void Hosts_Miss_OneAllEmptyElement()
    {
        var (book, _) = MarathonGroups();

        Assert.Equal("""[{"host":"","ip":""}]""", MesosDnsBodies.Hosts(book, "nothing.marathon.mesos.").ToJsonString());
    }

    [Fact]
    public void Services_SrvName_TargetsWithTheirAddressesAndPortsAsStrings()
    {
        var (book, _) = MarathonGroups();

        var body = MesosDnsBodies.Services(book, "_httpi._tcp.marathon.mesos");

        Assert.Equal(
            """[{"service":"_httpi._tcp.marathon.mesos","host":"httpi-7qnbb-s0.marathon.mesos.","ip":"10.0.1.21","port":"31522"},""" +
            """{"service":"_httpi._tcp.marathon.mesos","host":"httpi-tnji5-s1.marathon.mesos.","ip":"10.0.1.22","port":"31801"}]""",
            body.ToJsonString());
    }

    [Fact]
    public void Services_Miss_OneAllEmptyElement()
    {
        var (book, _) = MarathonGroups();

        Assert.Equal("""[{"service":"","host":"","ip":"","port":""}]""", MesosDnsBodies.Services(book, "_nothing._tcp.marathon.mesos").ToJsonString());
    }

    [Fact]
    public void Enumerate_Book_FrameworksWithRunningTasksAndTheirRecords()
    {
        var (book, _) = MarathonGroups();

        var body = MesosDnsBodies.Enumerate(book);

        var framework = Assert.Single(body["frameworks"]!.AsArray())!;
        Assert.Equal("marathon", framework["name"]!.GetValue<string>());
        var tasks = framework["tasks"]!.AsArray();
        Assert.Equal(5, tasks.Count); // the killed task has no records
        var httpi = tasks.First(t => t!["id"]!.GetValue<string>() == "httpi.5c2f7b0a-1d2e-11ea-9a3b-0242ac110002")!;
        Assert.Contains(httpi["records"]!.AsArray(), r => r!["name"]!.GetValue<string>() == "httpi.marathon.mesos."
            && r["host"]!.GetValue<string>() == "10.0.1.21" && r["rtype"]!.GetValue<string>() == "A");
        Assert.DoesNotContain(tasks.SelectMany(t => t!["records"]!.AsArray()), r => r!["name"]!.GetValue<string>().Contains("thisdcos", StringComparison.Ordinal));
    }

    [Fact]
    public void Axfr_Book_ShapeOfMesosDnsAxfrFixture()
    {
        var (book, config) = MarathonGroups();
        var sample = Fixtures.Json("dcos-net", "mesos-dns-v1-axfr.json").AsObject();

        var body = MesosDnsBodies.Axfr(book, config, 1522195185);

        Assert.Equal(sample.Select(p => p.Key), body.Select(p => p.Key));
        Assert.Equal(sample["Records"]!.AsObject().Select(p => p.Key), body["Records"]!.AsObject().Select(p => p.Key));
        foreach (var (key, value) in sample.Where(p => p.Key != "Records"))
        {
            Assert.Equal(value!.GetValueKind(), body[key]!.GetValueKind());
        }
        Assert.Equal(60u, body["TTL"]!.GetValue<uint>());
        Assert.Equal("mesos", body["Domain"]!.GetValue<string>());
        Assert.Equal(["10.0.1.21", "10.0.1.22"], body["Records"]!["As"]!["httpi.marathon.mesos."]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["httpi-7qnbb-s0.marathon.mesos.:31522", "httpi-tnji5-s1.marathon.mesos.:31801"],
            body["Records"]!["SRVs"]!["_httpi._tcp.marathon.mesos."]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Null(body["Records"]!["As"]!["httpi.marathon.agentip.dcos.thisdcos.directory."]);
    }

    [Fact]
    public void Version_Body_MesosDnsShape() =>
        Assert.Equal("""{"Service":"Mesos-DNS","URL":"https://github.com/mesosphere/mesos-dns","Version":"harrier"}""",
            MesosDnsBodies.Version("harrier").ToJsonString());
}
