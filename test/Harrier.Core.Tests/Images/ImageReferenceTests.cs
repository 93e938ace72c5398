using Harrier.Core.Images;
using Shouldly;
using Xunit;

namespace Harrier.Core.Tests.Images;

public sealed class ImageReferenceTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("busybox", "docker.io", "library/busybox", "latest", null)]
    [InlineData("busybox:1.36", "docker.io", "library/busybox", "1.36", null)]
    [InlineData("library/busybox", "docker.io", "library/busybox", "latest", null)]
    [InlineData("user/app:v1.0-rc_1", "docker.io", "user/app", "v1.0-rc_1", null)]
    [InlineData("docker.io/busybox", "docker.io", "library/busybox", "latest", null)]
    [InlineData("index.docker.io/user/app", "docker.io", "user/app", "latest", null)]
    [InlineData("localhost/x", "localhost", "x", "latest", null)]
    [InlineData("localhost:5000/x:y", "localhost:5000", "x", "y", null)]
    [InlineData("host:5000/a/b@" + Digest, "host:5000", "a/b", null, Digest)]
    [InlineData("host:5000/a/b:t@" + Digest, "host:5000", "a/b", "t", Digest)]
    [InlineData("busybox@" + Digest, "docker.io", "library/busybox", null, Digest)]
    [InlineData("registry.example.com/a/b/c", "registry.example.com", "a/b/c", "latest", null)]
    [InlineData("127.0.0.1:5000/my-app.v2/x__y", "127.0.0.1:5000", "my-app.v2/x__y", "latest", null)]
    [InlineData("Registry/app", "Registry", "app", "latest", null)]
    public void TryParse_ValidReference_IsNormalizedAsDockerDoes(string text, string registry, string repository, string? tag, string? digest)
    {
        ImageReference.TryParse(text, out var reference, out var error).ShouldBeTrue(error);

        reference.Registry.ShouldBe(registry);
        reference.Repository.ShouldBe(repository);
        reference.Tag.ShouldBe(tag);
        reference.Digest.ShouldBe(digest);
        reference.ManifestReference.ShouldBe(digest ?? tag);
    }

    [Theory]
    [InlineData("busybox", "docker.io/library/busybox:latest")]
    [InlineData("user/app:tag", "docker.io/user/app:tag")]
    [InlineData("host:5000/a/b@" + Digest, "host:5000/a/b@" + Digest)]
    [InlineData("host:5000/a:t@" + Digest, "host:5000/a:t@" + Digest)]
    public void ToString_Reference_IsTheNormalizedForm(string text, string expected)
    {
        ImageReference.Parse(text).ToString().ShouldBe(expected);
        ImageReference.Parse(expected).ShouldBe(ImageReference.Parse(text));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("Busybox", "lowercase")]
    [InlineData("user/App", "lowercase")]
    [InlineData("busy box", "whitespace")]
    [InlineData("busybox:", "tag")]
    [InlineData("busybox:-x", "tag")]
    [InlineData("busybox:.x", "tag")]
    [InlineData("busybox@sha256:abc", "digest")]
    [InlineData("busybox@md5:0123456789abcdef0123456789abcdef", "unsupported digest")]
    [InlineData("busybox@nohex", "digest")]
    [InlineData("a//b", "component")]
    [InlineData("a/-b", "component")]
    [InlineData("a/b_", "component")]
    [InlineData("a/b...c", "component")]
    [InlineData("host:5000/", "empty")]
    [InlineData("-host.com:5000/a", "registry")]
    [InlineData("localhost:99999999/a", "registry")]
    public void TryParse_InvalidReference_FailsSayingWhy(string text, string reason)
    {
        ImageReference.TryParse(text, out var reference, out var error).ShouldBeFalse();

        reference.ShouldBeNull();
        error.ShouldStartWith($"invalid image reference '{text}'");
        error.ShouldContain(reason);
    }

    [Fact]
    public void TryParse_TagOf128Characters_IsTheLimit()
    {
        ImageReference.TryParse("a:" + new string('x', 128), out _, out _).ShouldBeTrue();
        ImageReference.TryParse("a:" + new string('x', 129), out _, out _).ShouldBeFalse();
    }

    [Fact]
    public void TryParse_NameOver255Characters_Fails()
    {
        ImageReference.TryParse("r.io/" + new string('a', 260), out _, out var error).ShouldBeFalse();
        error.ShouldContain("255");
    }
}
