using Harrier.Core.Resources;
using Xunit;

namespace Harrier.Agent.Tests;

public sealed class PortMappingFlagsTests
{
    [Fact]
    public void ParseIsolation_MesosNames_AcceptedAndUnknownRefusedNamingIt()
    {
        Assert.Equal(["cgroups/cpu", "cgroups/mem", "network/port_mapping"], MesosIsolation.Parse("cgroups/cpu, cgroups/mem,network/port_mapping"));
        var error = Assert.Throws<FormatException>(() => MesosIsolation.Parse("cgroups/cpu,network/bogus"));
        Assert.Contains("unknown isolator 'network/bogus'", error.Message, StringComparison.Ordinal);
        Assert.Contains("network/port_mapping", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10MB", 10L * 1024 * 1024)]
    [InlineData("512KB", 512L * 1024)]
    [InlineData("1.5GB", 1536L * 1024 * 1024)]
    [InlineData("4096", 4096L)]
    public void ParseBytes_MesosSyntax_PowersOf1024(string text, long expected) => Assert.Equal(expected, MesosBytes.Parse(text));

    [Fact]
    public void ParseBytes_Garbage_Refused() => Assert.Throws<FormatException>(() => MesosBytes.Parse("ten MB"));

    [Fact]
    public void ParseResources_EphemeralPorts_Kept()
    {
        var r = MesosAgentFlags.ParseResources("ports:[31000-32000];ephemeral_ports:[20480-28671]");
        Assert.Equal([new PortRange(20480, 28671)], r.EphemeralPorts);
    }

    [Fact]
    public void Validate_MissingOrBadEphemeralPorts_SaysWhat()
    {
        IReadOnlyList<PortRange> agentPorts = [new(31000, 32000)];
        Assert.Contains("needs ephemeral ports", new PortMappingIsolatorOptions().Validate(agentPorts), StringComparison.Ordinal);
        var ok = new PortMappingIsolatorOptions { EphemeralPorts = [new(20480, 28671)] };
        Assert.Null(ok.Validate(agentPorts));
        Assert.Contains("power of 2", (ok with { EphemeralPortsPerContainer = 1000 }).Validate(agentPorts), StringComparison.Ordinal);
        Assert.Contains("power of 2", (ok with { EphemeralPortsPerContainer = 8 }).Validate(agentPorts), StringComparison.Ordinal);
        Assert.Contains("agent's ports", (ok with { EphemeralPorts = [new(31500, 33000)] }).Validate(agentPorts), StringComparison.Ordinal);
        Assert.Contains("well-known", (ok with { EphemeralPorts = [new(512, 4096)] }).Validate(agentPorts), StringComparison.Ordinal);
        Assert.Contains("no aligned range", (ok with { EphemeralPorts = [new(20481, 21000)] }).Validate(agentPorts), StringComparison.Ordinal);
    }
}
