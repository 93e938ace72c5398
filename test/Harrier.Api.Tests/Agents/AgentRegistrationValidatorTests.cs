using Harrier.Api.Agents;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Resources;
using Harrier.Protocol;
using Xunit;

namespace Harrier.Api.Tests.Agents;

public sealed class AgentRegistrationValidatorTests
{
    private static readonly AgentInfo Good = new() { Id = new AgentId("agent-1"), Hostname = "node-1.example.com", Resources = new ResourceVector(4, 4096, 10_000) };

    private static RegisterAgentRequest Request(AgentInfo agent, int tasks = 0) =>
        new(ProtocolVersion.Current, agent, new ValueList<TaskReport>([.. Enumerable.Range(0, tasks).Select(i => new TaskReport(new TaskId($"t{i}"), Core.Instances.TaskState.Running))]));

    public static TheoryData<string, string> Bad() => new()
    {
        { "cpus -1", "/agent/resources/cpus" },
        { "mem NaN", "/agent/resources/mem" },
        { "disk infinite", "/agent/resources/disk" },
        { "ports reversed", "/agent/ports(0)" },
        { "port 0", "/agent/ports(0)" },
        { "port 70000", "/agent/ports(0)" },
        { "hostname 254", "/agent/hostname" },
        { "hostname chars", "/agent/hostname" },
        { "hostname empty", "/agent/hostname" },
        { "65 attributes", "/agent/attributes" },
        { "attribute key 129", "/agent/attributes" },
        { "attribute value 257", "/agent/attributes" },
        { "role 129", "/agent/role" },
        { "role with space", "/agent/role" },
        { "id with slash", "/agent/id" },
        { "id 129", "/agent/id" },
        { "mode maintenance", "/agent/mode" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void Validate_BadRegistration_NamesThePath(string what, string path)
    {
        var agent = what switch
        {
            "cpus -1" => Good with { Resources = new ResourceVector(-1, 4096, 10) },
            "mem NaN" => Good with { Resources = new ResourceVector(1, double.NaN, 10) },
            "disk infinite" => Good with { Resources = new ResourceVector(1, 1, double.PositiveInfinity) },
            "ports reversed" => Good with { Ports = new[] { new PortRange(32000, 31000) } },
            "port 0" => Good with { Ports = new[] { new PortRange(0, 10) } },
            "port 70000" => Good with { Ports = new[] { new PortRange(31000, 70000) } },
            "hostname 254" => Good with { Hostname = new string('a', 254) },
            "hostname chars" => Good with { Hostname = "bad host;rm -rf" },
            "hostname empty" => Good with { Hostname = "" },
            "65 attributes" => Good with { Attributes = new ValueMap<string>(Enumerable.Range(0, 65).ToDictionary(i => $"k{i}", i => "v")) },
            "attribute key 129" => Good with { Attributes = new ValueMap<string>(new Dictionary<string, string> { [new string('k', 129)] = "v" }) },
            "attribute value 257" => Good with { Attributes = new ValueMap<string>(new Dictionary<string, string> { ["k"] = new string('v', 257) }) },
            "role 129" => Good with { Role = new string('r', 129) },
            "role with space" => Good with { Role = "a role" },
            "id with slash" => Good with { Id = new AgentId("../etc") },
            "id 129" => Good with { Id = new AgentId(new string('a', 129)) },
            "mode maintenance" => Good with { Mode = AgentMode.Maintenance },
            _ => throw new ArgumentException(what),
        };

        var violations = AgentRegistrationValidator.Validate(Request(agent)).ToList();

        Assert.Contains(violations, v => v.Path == path);
    }

    [Fact]
    public void Validate_GoodRegistration_NoViolations()
    {
        var agent = Good with
        {
            Ports = new[] { new PortRange(1, 65535) },
            Attributes = new ValueMap<string>(new Dictionary<string, string> { ["rack"] = "r1", ["zone"] = "a b" }),
            Role = "slave_public",
            Capabilities = new[] { AgentCapabilities.ContainerImages },
        };

        Assert.Empty(AgentRegistrationValidator.Validate(Request(agent, tasks: 3)));
        Assert.Empty(AgentRegistrationValidator.Validate(Request(Good with { Hostname = "127.0.0.2", Id = AgentIdProof.IdFor("s") })));
    }
}
