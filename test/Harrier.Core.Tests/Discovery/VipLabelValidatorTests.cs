using Harrier.Core.Discovery;
using Xunit;

namespace Harrier.Core.Tests.Discovery;

public sealed class VipLabelValidatorTests
{
    private static VipPort Port(int index, string protocol, params (string Key, string Value)[] labels) =>
        new(index, protocol, labels.ToDictionary(l => l.Key, l => l.Value));

    [Fact]
    public void Validate_GoodLabels_NoErrors()
    {
        var errors = VipLabelValidator.Validate([
            Port(0, "tcp", ("VIP_0", "/httpi:3141"), ("HAPROXY_GROUP", "external")),
            Port(1, "tcp", ("VIP_0", "10.1.1.1:5000"), ("VIP_1", "/httpi:3142")),
        ]);

        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_BadValues_OneErrorPerLabelWithItsPath()
    {
        var errors = VipLabelValidator.Validate([
            Port(0, "tcp", ("VIP_0", "")),
            Port(1, "tcp", ("VIP_0", "garbage")),
            Port(2, "tcp", ("VIP_0", "10.0.0.999:80")),
            Port(3, "tcp", ("VIP_0", "/app:70000")),
            Port(4, "tcp", ("vip_x", "/app:eighty")),
            Port(5, "tcp", ("NOT_A_VIP", "garbage")),
        ]);

        Assert.Equal(["(0)/labels/VIP_0", "(1)/labels/VIP_0", "(2)/labels/VIP_0", "(3)/labels/VIP_0", "(4)/labels/vip_x"],
            errors.Select(e => e.PathSuffix));
        Assert.Contains("empty", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("not a VIP", errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("address", errors[2].Message, StringComparison.Ordinal);
        Assert.Contains("out of range", errors[3].Message, StringComparison.Ordinal);
        Assert.Contains("not a number", errors[4].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OneVipOnTwoPorts_RefusedOnTheSecondPort()
    {
        var errors = VipLabelValidator.Validate([
            Port(0, "tcp", ("VIP_0", "/web:80")),
            Port(1, "tcp", ("VIP_0", "/web:80")),
        ]);

        var error = Assert.Single(errors);
        Assert.Equal("(1)/labels/VIP_0", error.PathSuffix);
        Assert.Contains("already claimed by port 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SameAddressWrittenTwoWays_IsOneVip()
    {
        var errors = VipLabelValidator.Validate([
            Port(0, "tcp", ("VIP_0", "fd01:c::1:80")),
            Port(1, "tcp", ("VIP_0", "[fd01:c:0::1]:80")),
        ]);

        Assert.Single(errors);
    }

    [Fact]
    public void Validate_SameVipTwiceOnOnePortOrOnTcpAndUdpPorts_Allowed()
    {
        var errors = VipLabelValidator.Validate([
            Port(0, "tcp", ("VIP_0", "/dns:53"), ("VIP_1", "/dns:53")),
            Port(1, "udp", ("VIP_0", "/dns:53")),
            Port(2, "tcp", ("VIP_0", "/dns:54")),
        ]);

        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_TcpUdpPortAndUdpPortShareAVip_Refused()
    {
        var errors = VipLabelValidator.Validate([
            Port(0, "tcp,udp", ("VIP_0", "/dns:53")),
            Port(1, "udp", ("VIP_0", "/dns:53")),
        ]);

        Assert.Equal("(1)/labels/VIP_0", Assert.Single(errors).PathSuffix);
    }
}
