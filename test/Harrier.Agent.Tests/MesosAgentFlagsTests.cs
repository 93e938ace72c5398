using Harrier.Core.Resources;
using Xunit;

namespace Harrier.Agent.Tests;

public sealed class MesosAgentFlagsTests
{
    [Fact]
    public void ParseAttributes_MesosSyntax_GivesNameValuePairs()
    {
        var attributes = MesosAgentFlags.ParseAttributes("rack:one; zone:a;ssd:true;level:10;keys:[1000-1500]");

        Assert.Equal(
            new Dictionary<string, string> { ["rack"] = "one", ["zone"] = "a", ["ssd"] = "true", ["level"] = "10", ["keys"] = "[1000-1500]" },
            attributes);
        Assert.Empty(MesosAgentFlags.ParseAttributes(""));
    }

    [Theory]
    [InlineData("rack")]
    [InlineData(":one")]
    [InlineData("rack:")]
    [InlineData("rack:one;rack:two")]
    public void ParseAttributes_Malformed_Throws(string text) =>
        Assert.Throws<FormatException>(() => MesosAgentFlags.ParseAttributes(text));

    [Fact]
    public void ParseResources_MesosSyntax_GivesResourcesAndPortRanges()
    {
        var r = MesosAgentFlags.ParseResources("cpus:4;mem(slave_public):8192.5;disk:40000;gpus:1;ports:[31000-32000, 33000-33100]");

        Assert.Equal(4, r.Cpus);
        Assert.Equal(8192.5, r.Mem);
        Assert.Equal(40000, r.Disk);
        Assert.Equal(1, r.Gpus);
        Assert.Equal([new PortRange(31000, 32000), new PortRange(33000, 33100)], r.Ports);
        Assert.Null(MesosAgentFlags.ParseResources("cpus:2").Mem);
    }

    [Theory]
    [InlineData("cpus:-1")]
    [InlineData("cpus:many")]
    [InlineData("ports:31000-32000")]
    [InlineData("ports:[32000-31000]")]
    [InlineData("ports:[0-10]")]
    [InlineData("bugs:3")]
    public void ParseResources_Malformed_ThrowsNamingThePart(string text)
    {
        var error = Assert.Throws<FormatException>(() => MesosAgentFlags.ParseResources(text));
        Assert.NotEmpty(error.Message);
    }
}
