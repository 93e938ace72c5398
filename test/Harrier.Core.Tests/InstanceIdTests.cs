using Harrier.Core.Ids;
using Xunit;

namespace Harrier.Core.Tests;

public sealed class InstanceIdTests
{
    [Fact]
    public void Equals_SameTextInAnotherString_IsEqualWithTheSameHash()
    {
        var a = new InstanceId("web.instance-0190a1b2-0000-7000-8000-000000000001");
        var b = new InstanceId(string.Concat("web.instance-", "0190a1b2-0000-7000-8000-000000000001"));
        Assert.NotSame(a.Value, b.Value);
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(b, new HashSet<InstanceId> { a }.Single());
        Assert.Contains(b, new HashSet<InstanceId> { a });
    }

    [Fact]
    public void Equals_OtherText_IsNotEqual()
    {
        var a = new InstanceId("web.instance-1");
        Assert.NotEqual(a, new InstanceId("web.instance-2"));
        Assert.NotEqual(a, new InstanceId("WEB.instance-1"));
        Assert.NotEqual(a, default);
        Assert.Equal(default(InstanceId), default);
        Assert.Null(default(InstanceId).Value);
    }
}
