using System.Text.Json.Nodes;
using Harrier.Dns.Records;
using Xunit;

namespace Harrier.Dns.Tests.Records;

public sealed class ThisDcosRecordsTests
{
    public static TheoryData<string> Inputs() => ["operator-api.json", "hello-overlay.json", "pod-tasks.json"];

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Generate_DcosNetFixture_EveryAssertedAnswer(string input)
    {
        var expected = Fixtures.Json("dcos-net", "expected-dns-records.json").AsArray()
            .Where(e => e!["input"]!.GetValue<string>() == input).ToList();
        var state = OperatorApiReader.Read(File.ReadAllText(Path.Combine(Fixtures.Path("dcos-net"), "operator-api", input)));

        var records = ThisDcosRecords.Generate(state);

        Assert.NotEmpty(expected);
        foreach (var e in expected)
        {
            var kind = e!["type"]!.GetValue<string>() == "AAAA" ? RecordKind.Aaaa : RecordKind.A;
            var name = e["name"]!.GetValue<string>() + ".";
            var want = e["answers"]!.AsArray().Select(a => a!.GetValue<string>()).Order(StringComparer.Ordinal);
            var got = records.Of(kind).TryGetValue(name, out var values) ? values.Order(StringComparer.Ordinal).ToList() : [];
            Assert.True(want.SequenceEqual(got), $"{e["source_test"]} {name} {kind}: want [{string.Join(", ", want)}], got [{string.Join(", ", got)}]");
        }
    }

    [Fact]
    public void Generate_PodTaskFinishes_RecordsItSharesWithARunningTaskStay()
    {
        var state = OperatorApiReader.Read(File.ReadAllText(Path.Combine(Fixtures.Path("dcos-net"), "operator-api", "pod-tasks.json")));
        var tasks = state.Frameworks.Single(f => f.Name == "marathon").Tasks;

        Assert.Equal(["TASK_FINISHED", "TASK_RUNNING"], tasks.Select(t => t.State).Order());
        Assert.Equal(["9.0.0.2"], ThisDcosRecords.Generate(state).A["app.marathon.containerip.dcos.thisdcos.directory."]);
    }

    [Fact]
    public void Task_DottedDiscoveryName_LabelTurnsDotsIntoDashes()
    {
        var agent = new DiscoveryAgent("a-S0", "10.0.0.1", [System.Net.IPAddress.Parse("10.0.0.1")], 5051);
        var task = new DiscoveryTask("t1", "myapp.mygroup", "a-S0", DiscoveryTask.Running, [System.Net.IPAddress.Parse("9.0.0.9")], [],
            new DiscoveryInfo("myapp.mygroup", []));

        var records = ThisDcosRecords.Task(task, "marathon", agent).Records;

        Assert.Contains(new DnsRecord("myapp-mygroup.marathon.autoip.dcos.thisdcos.directory.", RecordKind.A, "9.0.0.9"), records);
        Assert.Contains(new DnsRecord("myapp-mygroup.marathon.agentip.dcos.thisdcos.directory.", RecordKind.A, "10.0.0.1"), records);
    }
}
