using System.Text.Json;
using System.Text.Json.Nodes;
using Harrier.LoadBalancer.Marathon;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Marathon;

public sealed class ServicePortAssignerTests
{
    [Fact]
    public void ServicePorts_GoldenIpPerTaskApps_AssignsMarathonLbsPortsInOrder()
    {
        var golden = JsonNode.Parse(GoldenCases.Read("", "service-port-assignment.json"))!;
        var range = golden["range"]!;
        var assigner = new ServicePortAssigner(range["min"]!.GetValue<int>(), range["max"]!.GetValue<int>());
        var body = new JsonObject { ["apps"] = golden["apps_processed_in_order"]!.DeepClone() }.ToJsonString();
        using var document = JsonDocument.Parse(body);
        var apps = AppsJsonReader.Read(document.RootElement, []);

        var assigned = apps.Select(a => assigner.ServicePorts(a)).ToList();

        var expected = golden["expected"]!.AsArray().Select(e => e!["assignedServicePorts"]!.AsArray().Select(p => (int?)p!.GetValue<int>()).ToList()).ToList();
        assigned.ShouldBe(expected);
    }

    [Fact]
    public void ServicePorts_RangeUsedUp_LeavesTheRestWithoutAPort()
    {
        var assigner = new ServicePortAssigner(10050, 10051);
        var app = IpPerTaskApp("/a", 80, 81, 82);

        var ports = assigner.ServicePorts(app);

        ports.Take(2).Order().ShouldBe([10050, 10051]);
        ports[2].ShouldBeNull();
    }

    [Fact]
    public void ServicePorts_AppWithServicePorts_AreNotAssigned()
    {
        var assigner = new ServicePortAssigner(10050, 10100);
        var app = IpPerTaskApp("/a", 80) with { PortDefinitionPorts = [10007] };

        assigner.ServicePorts(app).ShouldBe([10007]);
    }

    private static MarathonApp IpPerTaskApp(string id, params int[] ports) => new(
        id, new Dictionary<string, string>(), 1, NetworkingMode.Container, [], [], null, [], ports, [],
        [new MarathonTask("t", "agent", [], "TASK_RUNNING", null, "9.0.0.1", id)], null);
}
