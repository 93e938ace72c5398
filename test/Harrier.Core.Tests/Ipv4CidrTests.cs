using Harrier.Core.Networks;
using System.Net;
using Xunit;

namespace Harrier.Core.Tests;

public sealed class Ipv4CidrTests
{
    [Theory]
    [InlineData("172.31.254.0/24", "172.31.254.0/24")]
    [InlineData("10.200.7.9/16", "10.200.0.0/16")]
    public void Parse_Valid_NormalizesToNetwork(string text, string expected) => Assert.Equal(expected, Ipv4Cidr.Parse(text).ToString());

    [Theory]
    [InlineData("172.31.254.0")]
    [InlineData("172.31.254.0/31")]
    [InlineData("172.31.254.0/7")]
    [InlineData("::1/64")]
    [InlineData("300.1.1.1/24")]
    [InlineData("10.0.0.0/x")]
    public void TryParse_Invalid_SaysWhatIsExpected(string text)
    {
        Assert.False(Ipv4Cidr.TryParse(text, out _, out var error));
        Assert.Contains("IPv4 CIDR", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Subnet_Index_IsTheSliceAtThatPosition()
    {
        var overlay = Ipv4Cidr.Parse("10.200.0.0/16");
        Assert.Equal("10.200.3.0/24", overlay.Subnet(24, 3).ToString());
        Assert.Equal(256, overlay.SubnetCount(24));
        Assert.Throws<ArgumentOutOfRangeException>(() => overlay.Subnet(24, 256));
    }

    [Fact]
    public void ContainsAndOverlaps_AnswerByPrefix()
    {
        var bridge = Ipv4Cidr.Parse("172.31.254.0/24");
        Assert.True(bridge.Contains(IPAddress.Parse("172.31.254.77")));
        Assert.False(bridge.Contains(IPAddress.Parse("172.31.255.1")));
        Assert.True(Ipv4Cidr.Parse("172.31.0.0/16").Overlaps(bridge));
        Assert.False(Ipv4Cidr.Parse("10.0.0.0/8").Overlaps(bridge));
        Assert.Equal(IPAddress.Parse("172.31.254.1"), bridge.Gateway);
    }
}
