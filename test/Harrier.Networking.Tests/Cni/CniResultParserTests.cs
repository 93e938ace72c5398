using Harrier.Networking.Cni;
using Xunit;

namespace Harrier.Networking.Tests.Cni;

/// <summary>Results of spec 0.3.1, 0.4.0 and 1.0.0 (as the bridge plugin writes them), and output that is not one.</summary>
public sealed class CniResultParserTests
{
    private const string V031 = """
        {"cniVersion":"0.3.1","interfaces":[{"name":"cni0","mac":"aa:bb:cc:00:00:01"},{"name":"veth1","mac":"aa:bb:cc:00:00:02"},
          {"name":"eth0","mac":"aa:bb:cc:00:00:03","sandbox":"/run/netns/t1"}],
         "ips":[{"version":"4","interface":2,"address":"10.22.0.5/16","gateway":"10.22.0.1"}],
         "routes":[{"dst":"0.0.0.0/0"}],"dns":{}}
        """;

    private const string V040 = """
        {"cniVersion":"0.4.0","interfaces":[{"name":"cni0"},{"name":"eth0","sandbox":"/run/netns/t1"}],
         "ips":[{"version":"4","interface":1,"address":"10.22.0.6/16","gateway":"10.22.0.1"},
                {"version":"6","interface":1,"address":"fd00::6/64"},
                {"version":"4","interface":0,"address":"10.22.0.1/16"}],"dns":{}}
        """;

    private const string V100 = """
        {"cniVersion":"1.0.0","interfaces":[{"name":"eth0","mac":"aa:bb:cc:00:00:03","sandbox":"/run/netns/t1"}],
         "ips":[{"interface":0,"address":"192.168.7.9/24","gateway":"192.168.7.1"},{"address":"192.168.8.9/24"}],"dns":{}}
        """;

    [Fact]
    public void Parse_V031_SandboxAddressOnly()
    {
        var result = CniResultParser.Parse(V031);
        Assert.Equal("0.3.1", result.CniVersion);
        Assert.Equal(3, result.Interfaces.Count);
        Assert.Equal("/run/netns/t1", result.Interfaces[2].Sandbox);
        var ip = Assert.Single(result.Ips);
        Assert.Equal(16, ip.PrefixLength);
        Assert.Equal("10.22.0.1", ip.Gateway!.ToString());
        Assert.Equal(["10.22.0.5"], result.ContainerAddresses);
    }

    [Fact]
    public void Parse_V040_HostSideAddressLeftOut()
    {
        var result = CniResultParser.Parse(V040);
        Assert.Equal(["10.22.0.6", "fd00::6"], result.ContainerAddresses);
    }

    [Fact]
    public void Parse_V100_NoVersionFieldAndAddressWithoutInterface()
    {
        var result = CniResultParser.Parse(V100);
        Assert.Equal("1.0.0", result.CniVersion);
        Assert.Equal(["192.168.7.9", "192.168.8.9"], result.ContainerAddresses);
        // The result is kept as written for the next plugin's prevResult and the DEL cache.
        Assert.Equal("192.168.7.9", CniResultParser.Parse(result.Json).ContainerAddresses[0]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("[1,2]")]
    [InlineData("""{"ips":[]}""")]
    [InlineData("""{"cniVersion":"0.2.0","ip4":{"ip":"10.0.0.2/24"}}""")]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.2"}]}""")]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.2/33"}]}""")]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"address":"nonsense/24"}]}""")]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.2/24","interface":3}]}""")]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.2/24","gateway":"x"}]}""")]
    [InlineData("""{"cniVersion":"1.0.0","ips":{"address":"10.0.0.2/24"}}""")]
    [InlineData("""{"cniVersion":"0.4.0","ips":[{"version":"5","address":"10.0.0.2/24"}]}""")]
    [InlineData("""{"cniVersion":"1.0.0","interfaces":[{"mac":"x"}]}""")]
    public void Parse_NotAResult_FormatException(string text) => Assert.Throws<FormatException>(() => CniResultParser.Parse(text));

    [Fact]
    public void Parse_TooManyEntries_FormatException()
    {
        var ips = string.Join(",", Enumerable.Range(0, 65).Select(i => $"{{\"address\":\"10.0.{i}.2/24\"}}"));
        Assert.Throws<FormatException>(() => CniResultParser.Parse($"{{\"cniVersion\":\"1.0.0\",\"ips\":[{ips}]}}"));
    }

    [Fact]
    public void Parse_DeeplyNested_FormatException() =>
        Assert.Throws<FormatException>(() => CniResultParser.Parse(new string('[', 10_000)));

    [Fact]
    public void TryParseError_ErrorResult_CodeMessageDetails()
    {
        var error = CniError.TryParse("""{"cniVersion":"1.0.0","code":11,"msg":"failed to allocate","details":"range full"}""");
        Assert.Equal(new CniError(11, "failed to allocate", "range full"), error);
        Assert.Equal("code 11: failed to allocate (range full)", error!.ToString());
        Assert.Null(CniError.TryParse("panic: runtime error"));
        Assert.Null(CniError.TryParse("""{"cniVersion":"1.0.0","ips":[]}"""));
    }
}
