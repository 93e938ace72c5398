using Harrier.Core.Ids;
using Xunit;

namespace Harrier.Core.Tests;

public sealed class PathIdTests
{
    [Theory]
    [InlineData("foo", null, "/foo")]
    [InlineData("/a//b/", null, "/a/b")]
    [InlineData("../c", "/a/b", "/a/c")]
    [InlineData("./c", "/a", "/a/c")]
    [InlineData("c", "/a", "/a/c")]
    [InlineData("/x", "/a", "/x")]
    [InlineData("..", "/", "/")]
    public void Parse_RelativeAndMessyIds_Canonicalizes(string raw, string? baseId, string expected) =>
        Assert.Equal(expected, PathId.Parse(raw, baseId is null ? null : PathId.Parse(baseId)).Value);

    [Fact]
    public void SafePathAndHostname_FollowMarathon()
    {
        var id = PathId.Parse("/prod/web/api");
        Assert.Equal("prod_web_api", id.SafePath);
        Assert.Equal("api.web.prod", id.ToHostname());
        Assert.Equal("/prod/web", id.Parent.Value);
        Assert.Equal("api", id.Name);
        Assert.True(PathId.Root.IsRoot);
        Assert.Equal(PathId.Root, PathId.Parse("/a").Parent);
    }

    [Fact]
    public void IsAncestorOf_OnlyTrueForProperDescendants()
    {
        Assert.True(PathId.Parse("/a").IsAncestorOf(PathId.Parse("/a/b")));
        Assert.False(PathId.Parse("/a").IsAncestorOf(PathId.Parse("/ab")));
        Assert.False(PathId.Parse("/a").IsAncestorOf(PathId.Parse("/a")));
        Assert.True(PathId.Root.IsAncestorOf(PathId.Parse("/a")));
    }

    [Theory]
    [InlineData("web", true)]
    [InlineData("web-1.v2", true)]
    [InlineData("-web", false)]
    [InlineData("web-", false)]
    [InlineData("My_App", false)]
    [InlineData("..", true)]
    public void IsValidSegment_MarathonRule(string segment, bool valid) => Assert.Equal(valid, PathId.IsValidSegment(segment));
}
