using Harrier.LoadBalancer;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests;

public sealed class LbPathsTests
{
    [Fact]
    public void StateDirectory_EndsWithSlash_HaproxyJoinsItWithTheFileName()
    {
        new LbPaths("/tmp/lb").StateDirectory.ShouldBe("/tmp/lb/state/");
    }
}
