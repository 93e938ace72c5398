using Harrier.Cli.Tests.Fakes;
using Shouldly;
using Xunit;

namespace Harrier.Cli.Tests;

public sealed class BalancerCommandTests
{
    private const string Body = """
        {"balancers":[
          {"id":"lb-1","groups":["external","*"],"statsUrl":"http://10.0.0.5:9090","registeredAt":"2024-05-01T12:00:00.000Z","lastSeenAt":"2024-05-01T12:00:10.000Z","leaseSeconds":15,"pendingDrains":2},
          {"id":"lb-2","groups":["internal"],"statsUrl":null,"registeredAt":"2024-05-01T12:00:00.000Z","lastSeenAt":"2024-05-01T12:00:11.000Z","leaseSeconds":15,"pendingDrains":0}
        ]}
        """;

    [Fact]
    public async Task BalancerList_RegisteredBalancers_PrintsATable()
    {
        var server = new FakeMarathon().OnJson("GET", "/harrier/v1/balancers", Body);

        var result = await Cli.RunAsync(server, "balancer list");

        result.ExitCode.ShouldBe(0, result.Error);
        Table.Rows(result.Out).ShouldBe(
        [
            ["ID", "GROUPS", "STATS", "PENDING DRAINS", "LAST SEEN"],
            ["lb-1", "external,*", "http://10.0.0.5:9090", "2", "2024-05-01T12:00:10.000Z"],
            ["lb-2", "internal", "-", "0", "2024-05-01T12:00:11.000Z"],
        ]);
    }

    [Fact]
    public async Task BalancerList_Json_PrintsTheServersBody()
    {
        var server = new FakeMarathon().OnJson("GET", "/harrier/v1/balancers", Body);

        var result = await Cli.RunAsync(server, "balancer list --json");

        result.ExitCode.ShouldBe(0, result.Error);
        System.Text.Json.Nodes.JsonNode.Parse(result.Out)!["balancers"]!.AsArray().Count.ShouldBe(2);
    }
}
