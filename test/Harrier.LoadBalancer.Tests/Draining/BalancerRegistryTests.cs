using Harrier.LoadBalancer.Draining;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Draining;

public sealed class BalancerRegistryTests
{
    [Fact]
    public void Parse_DrainsBody_TasksWithIds()
    {
        BalancerRegistry.Parse("""{"drains":[{"taskId":"a.1","appId":"/a","host":"h"},{"appId":"/b"},{"taskId":7},{"taskId":""}]}""")
            .ShouldBe([new DrainRequest("a.1", "/a")]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("nonsense")]
    [InlineData("[]")]
    [InlineData("{\"drains\":{}}")]
    public void Parse_HostileBody_NothingNeverThrows(string body) => BalancerRegistry.Parse(body).ShouldBeEmpty();
}
