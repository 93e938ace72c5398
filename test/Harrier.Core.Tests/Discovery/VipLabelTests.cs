using System.Net;
using Harrier.Core.Discovery;
using Xunit;

namespace Harrier.Core.Tests.Discovery;

public sealed class VipLabelTests
{
    [Theory]
    [InlineData("/httpi:3141", "/httpi", null, 3141)]
    [InlineData("httpi:80", "httpi", null, 80)]
    [InlineData("/my/group/app:65535", "/my/group/app", null, 65535)]
    [InlineData("10.1.1.1:5000", "10.1.1.1", "10.1.1.1", 5000)]
    [InlineData("fd01:c::1:80", "fd01:c::1", "fd01:c::1", 80)]
    [InlineData("[fd01:c::1]:80", "[fd01:c::1]", "fd01:c::1", 80)]
    [InlineData("overlay-vip:80", "overlay-vip", null, 80)]
    public void TryParse_ValidValue_SplitsAtTheLastColon(string value, string host, string? address, int port)
    {
        Assert.True(VipLabel.TryParse(value, out var vip, out var error), error);
        Assert.Equal(host, vip.Host);
        Assert.Equal(address is null ? null : IPAddress.Parse(address), vip.Address);
        Assert.Equal(address is null, vip.IsNamed);
        Assert.Equal(port, vip.Port);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("httpi", "not a VIP")]
    [InlineData(":80", "not a VIP")]
    [InlineData("/httpi:", "not a VIP")]
    [InlineData("/httpi:http", "not a number")]
    [InlineData("/httpi:-1", "not a number")]
    [InlineData("/httpi:0", "out of range")]
    [InlineData("/httpi:65536", "out of range")]
    [InlineData("10.1.1.300:80", "not a valid IPv4")]
    [InlineData("10.1.1:80", "not a valid IPv4")]
    [InlineData("fd01::zz::1:80", "not a valid IPv4 or IPv6")]
    [InlineData("my app:80", "white space")]
    public void TryParse_BadValue_SaysWhy(string value, string why)
    {
        Assert.False(VipLabel.TryParse(value, out _, out var error));
        Assert.Contains(why, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("VIP_0", true)]
    [InlineData("VIP_d8c37956", true)]
    [InlineData("vip_1", true)]
    [InlineData("VIPER", true)]
    [InlineData("Vip_0", false)]
    [InlineData("HAPROXY_0_VHOST", false)]
    public void IsVipKey_KeyPrefix_MatchesDcosNet(string key, bool expected) => Assert.Equal(expected, VipLabel.IsVipKey(key));

    [Theory]
    [InlineData(null, new[] { "tcp" })]
    [InlineData("udp", new[] { "udp" })]
    [InlineData("tcp,udp", new[] { "tcp", "udp" })]
    [InlineData("UDP, tcp", new[] { "udp", "tcp" })]
    public void Protocols_PortProtocol_OneVipPerProtocol(string? protocol, string[] expected) =>
        Assert.Equal(expected, VipLabel.Protocols(protocol));
}
