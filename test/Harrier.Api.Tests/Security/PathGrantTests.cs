using Harrier.Api.Security;
using Harrier.Core.Ids;
using Xunit;

namespace Harrier.Api.Tests.Security;

public sealed class PathGrantTests
{
    [Theory]
    [InlineData("/*", "/anything/at/all", true)]
    [InlineData("/prod/*", "/prod", true)]
    [InlineData("/prod/*", "/prod/web", true)]
    [InlineData("/prod/*", "/prod/a/b", true)]
    [InlineData("/prod/*", "/production", false)]
    [InlineData("/prod/*", "/dev/web", false)]
    [InlineData("/prod/web", "/prod/web", true)]
    [InlineData("/prod/web", "/prod/web2", false)]
    [InlineData("/prod/web", "/prod/web/child", false)]
    [InlineData("/prod/web", "/prod", false)]
    public void Covers_PrefixAndExactPatterns(string pattern, string id, bool expected) =>
        Assert.Equal(expected, PathGrant.Parse(pattern, AccessAction.Read).Covers(PathId.Parse(id)));

    [Theory]
    [InlineData("/prod/web", "/prod", true)]
    [InlineData("/prod/web", "/", true)]
    [InlineData("/prod/web", "/dev", false)]
    [InlineData("/prod/*", "/prod/a", true)]
    [InlineData("/prod/*", "/pro", false)]
    public void Reaches_GroupsOnTheWayToTheGrant(string pattern, string group, bool expected) =>
        Assert.Equal(expected, PathGrant.Parse(pattern, AccessAction.Read).Reaches(PathId.Parse(group)));

    [Theory]
    [InlineData("prod/*")]
    [InlineData("/prod*")]
    [InlineData("/*/web")]
    [InlineData("/prod/")]
    [InlineData("/Prod")]
    [InlineData("/prod/../etc")]
    [InlineData("/pr od")]
    public void Parse_InvalidPattern_Throws(string pattern) =>
        Assert.Throws<FormatException>(() => PathGrant.Parse(pattern, AccessAction.Read));

    [Fact]
    public void Principal_ActionsIncludeLowerOnes_AndClusterAdminNeedsAdminOnEverything()
    {
        var writer = new Principal("w", [PathGrant.Parse("/dev/*", AccessAction.Write), PathGrant.Parse("/prod/*", AccessAction.Read)]);
        Assert.True(writer.Can(AccessAction.Read, PathId.Parse("/dev/a")));
        Assert.True(writer.Can(AccessAction.Write, PathId.Parse("/dev/a")));
        Assert.False(writer.Can(AccessAction.Admin, PathId.Parse("/dev/a")));
        Assert.True(writer.CanRead(PathId.Parse("/prod/a")));
        Assert.False(writer.Can(AccessAction.Write, PathId.Parse("/prod/a")));
        Assert.False(writer.IsClusterAdmin);
        Assert.False(new Principal("p", [PathGrant.Parse("/prod/*", AccessAction.Admin)]).IsClusterAdmin);
        Assert.False(new Principal("r", [PathGrant.Parse("/*", AccessAction.Write)]).IsClusterAdmin);
        Assert.True(new Principal("a", [PathGrant.Parse("/*", AccessAction.Admin)]).IsClusterAdmin);
        Assert.True(Principal.Unrestricted.IsClusterAdmin);
    }
}
