using System.Net;
using Harrier.Networking.Vips;
using Xunit;

namespace Harrier.Networking.Tests.Vips;

public sealed class VipValidatorTests
{
    private static VipService Service(string address = "10.99.0.1", int port = 80, string backend = "10.0.0.2", int backendPort = 8080, int weight = 1, string? name = null) =>
        new(new VipKey(IPAddress.Parse(address), port, VipProtocol.Tcp), [new VipBackend(IPAddress.Parse(backend), backendPort, weight)], name);

    [Fact]
    public void Validate_GoodVip_NoProblem()
    {
        Assert.Null(VipValidator.Validate(Service(name: "/httpi:3141")));
        Assert.Null(VipValidator.Validate(Service(address: "127.10.0.1", weight: 0)));
    }

    [Theory]
    [InlineData("0.0.0.0", 80, "10.0.0.2", 8080, 1, "not a unicast destination")]
    [InlineData("0.1.2.3", 80, "10.0.0.2", 8080, 1, "not a unicast destination")]
    [InlineData("239.1.1.1", 80, "10.0.0.2", 8080, 1, "not a unicast destination")]
    [InlineData("255.255.255.255", 80, "10.0.0.2", 8080, 1, "not a unicast destination")]
    [InlineData("127.0.0.1", 80, "10.0.0.2", 8080, 1, "loopback")]
    [InlineData("::1", 80, "10.0.0.2", 8080, 1, "not IPv4")]
    [InlineData("::ffff:10.0.0.1", 80, "10.0.0.2", 8080, 1, "not IPv4")]
    [InlineData("10.99.0.1", 0, "10.0.0.2", 8080, 1, "port 0")]
    [InlineData("10.99.0.1", 65536, "10.0.0.2", 8080, 1, "port 65536")]
    [InlineData("10.99.0.1", 80, "224.0.0.1", 8080, 1, "backend address")]
    [InlineData("10.99.0.1", 80, "fe80::1", 8080, 1, "backend address")]
    [InlineData("10.99.0.1", 80, "10.0.0.2", -1, 1, "backend port -1")]
    [InlineData("10.99.0.1", 80, "10.0.0.2", 8080, -1, "weight -1")]
    [InlineData("10.99.0.1", 80, "10.0.0.2", 8080, 10_001, "weight 10001")]
    public void Validate_BadVip_Refused(string address, int port, string backend, int backendPort, int weight, string expected)
    {
        var problem = VipValidator.Validate(Service(address, port, backend, backendPort, weight));

        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_HostileName_OnlyEverInTheMessageAndSanitized()
    {
        var problem = VipValidator.Validate(Service(port: 0, name: "/a\nb\u0000; flush ruleset"));

        Assert.Equal("VIP '/a?b?; flush ruleset' (10.99.0.1:0/tcp): port 0 is not in 1-65535", problem);
    }

    [Fact]
    public void Validate_TooManyBackends_Refused()
    {
        var backends = Enumerable.Range(0, VipValidator.MaxBackends + 1).Select(i => new VipBackend(IPAddress.Parse("10.0.0.2"), 1 + i)).ToList();

        Assert.Contains("backends", VipValidator.Validate(new VipService(new VipKey(IPAddress.Parse("10.99.0.1"), 80, VipProtocol.Tcp), backends)), StringComparison.Ordinal);
    }
}
