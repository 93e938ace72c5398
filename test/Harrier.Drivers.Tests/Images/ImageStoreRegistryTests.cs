using Harrier.Drivers.Images;
using Harrier.Testing;
using Harrier.Testing.Images;
using Shouldly;
using Xunit;

namespace Harrier.Drivers.Tests.Images;

/// <summary>Pulls from a real registry (distribution's <c>docker-registry</c>) that images were pushed to with
/// skopeo: what a real registry serves, and its Basic auth.</summary>
public sealed class ImageStoreRegistryTests : IDisposable
{
    private readonly StoreHarness _harness = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PullAsync_ThreeLayersWithWhiteoutOpaqueDirectoryAndZstd_UnpacksEachLayer()
    {
        RequireTools(root: true);
        await using var registry = await TestRegistry.StartAsync(cancellationToken: Ct);
        var layout = _harness.Build(new TestImageBuilder()
            .WithBusybox()
            .WithLayer(l => l.Directory("data/").File("data/old.txt", "old").File("data/keep.txt", "keep").Directory("conf/").File("conf/a", "a"))
            .WithLayer(l => l.Whiteout("data/old.txt").OpaqueDirectory("conf/").File("conf/b", "b", 0b111_101_101, uid: 65534, gid: 65534), LayerCompression.Zstd)
            .WithEntrypoint("/bin/sh").WithCmd("-c", "cat /data/keep.txt").WithEnv("GREETING", "hi").WithWorkingDir("/data").WithExposedPort("80/tcp"));
        await registry.PushAsync(layout, "test/three:v1", Ct);

        var image = await _harness.Store(registry.Host).PullAsync(registry.Reference("test/three:v1"), false, null, Ct);

        image.ManifestDigest.ShouldBe(layout.ManifestDigest);
        image.LayerDirectories.Count.ShouldBe(3);
        image.LayerDirectories.Select(Path.GetFileName).ShouldBe(layout.DiffIds.Select(d => d[7..]));
        new FileInfo(Path.Combine(image.LayerDirectories[0], "bin/sh")).LinkTarget.ShouldBe("busybox");
        File.ReadAllText(Path.Combine(image.LayerDirectories[1], "data/old.txt")).ShouldBe("old");
        var top = image.LayerDirectories[2];
        LayerUnpackerTests.Stat("%F %t:%T", Path.Combine(top, "data/old.txt")).ShouldBe("character special file 0:0"); // the whiteout
        var opaque = new byte[1];
        NativeMethods.lgetxattr(Path.Combine(top, "conf"), "trusted.overlay.opaque", opaque, 1).ShouldBe(1);
        opaque[0].ShouldBe((byte)'y');
        LayerUnpackerTests.Stat("%a %u:%g", Path.Combine(top, "conf/b")).ShouldBe("755 65534:65534");
        File.Exists(Path.Combine(top, "data/keep.txt")).ShouldBeFalse();
        File.ReadAllText(Path.Combine(top, "conf/b")).ShouldBe("b");
        image.Config.Entrypoint.ShouldBe(["/bin/sh"]);
        image.Config.Cmd.ShouldBe(["-c", "cat /data/keep.txt"]);
        image.Config.Env.ShouldContain("GREETING=hi");
        image.Config.WorkingDir.ShouldBe("/data");
        image.Config.ExposedPorts.ShouldBe(["80/tcp"]);
    }

    [Fact]
    public async Task PullAsync_ManifestList_PicksLinuxAmd64()
    {
        RequireTools();
        await using var registry = await TestRegistry.StartAsync(cancellationToken: Ct);
        var layout = _harness.Build(new TestImageBuilder().WithBusybox().WithExtraPlatform("arm64"));
        await registry.PushAsync(layout, "multi:v1", Ct);

        var image = await _harness.Store(registry.Host).PullAsync(registry.Reference("multi:v1"), false, null, Ct);

        image.ManifestDigest.ShouldBe(layout.ManifestDigest);
        File.Exists(Path.Combine(image.LayerDirectories.ShouldHaveSingleItem(), "bin/busybox")).ShouldBeTrue();
    }

    [Fact]
    public async Task PullAsync_MissingImage_NotFoundNamingIt()
    {
        RequireTools();
        await using var registry = await TestRegistry.StartAsync(cancellationToken: Ct);

        var e = await Should.ThrowAsync<ImagePullException>(() => _harness.Store(registry.Host).PullAsync(registry.Reference("nope:v1"), false, null, Ct));

        e.Failure.ShouldBe(ImagePullFailure.NotFound);
        e.Message.ShouldStartWith($"Failed to pull image '{registry.Host}/nope:v1': ");
    }

    [Fact]
    public async Task PullAsync_HtpasswdRegistry_UnauthorizedWithoutCredentialsAndPullsWithDockerConfig()
    {
        RequireTools();
        await using var registry = await TestRegistry.StartAsync("harrier", "pa55word", cancellationToken: Ct);
        var layout = _harness.Build(new TestImageBuilder().WithBusybox());
        await registry.PushAsync(layout, "private/app:v1", Ct);

        var e = await Should.ThrowAsync<ImagePullException>(() => _harness.Store(registry.Host).PullAsync(registry.Reference("private/app:v1"), false, null, Ct));
        e.Failure.ShouldBe(ImagePullFailure.Unauthorized);
        e.Message.ShouldContain("no credentials are configured");

        var wrong = registry.WriteDockerConfig(Path.Combine(_harness.Work, "wrong.json"), "harrier", "nope");
        var refused = await Should.ThrowAsync<ImagePullException>(() => _harness.Store(o => o with { InsecureRegistries = [registry.Host], DockerConfigPath = wrong })
            .PullAsync(registry.Reference("private/app:v1"), false, null, Ct));
        refused.Failure.ShouldBe(ImagePullFailure.Unauthorized);
        refused.Message.ShouldContain("not accepted");

        var config = registry.WriteDockerConfig(Path.Combine(_harness.Work, "config.json"));
        var image = await _harness.Store(o => o with { InsecureRegistries = [registry.Host], DockerConfigPath = config })
            .PullAsync(registry.Reference("private/app:v1"), false, null, Ct);
        image.ManifestDigest.ShouldBe(layout.ManifestDigest);
    }

    [Fact]
    public async Task PullAsync_DockerHubNameWithMirror_PullsLibraryBusyboxFromTheMirror()
    {
        RequireTools();
        await using var registry = await TestRegistry.StartAsync(cancellationToken: Ct);
        var layout = _harness.Build(new TestImageBuilder().WithBusybox());
        await registry.PushAsync(layout, "library/busybox:latest", Ct);

        var image = await _harness.Store(o => o with { Mirrors = [registry.Url] }).PullAsync("busybox", false, null, Ct);

        image.Reference.ShouldBe("docker.io/library/busybox:latest");
        image.ManifestDigest.ShouldBe(layout.ManifestDigest);
    }

    [Fact]
    public async Task GuideImages_PushAll_EachPullsUnderItsGuideName()
    {
        RequireTools();
        await using var registry = await TestRegistry.StartAsync(cancellationToken: Ct);
        await GuideImages.PushAllAsync(registry, _harness.Work, Ct);
        var store = _harness.Store(o => o with { Mirrors = [registry.Url] });

        var httpi = await store.PullAsync("dcoslabs/httpi", false, null, Ct);
        var inky = await store.PullAsync("mesosphere/inky", false, null, Ct);
        var python = await store.PullAsync("python:3", false, null, Ct);
        var demo = await store.PullAsync("armankoradia/demoapp:v1", false, null, Ct);

        httpi.Config.Cmd[^1].ShouldContain("httpd -f -p ${PORT_HTTP:-8080}");
        inky.Config.Entrypoint.ShouldBe(["/bin/echo"]);
        File.ReadAllText(Path.Combine(python.LayerDirectories[1], "usr/local/bin/python")).ShouldContain("http.server");
        File.ReadAllText(Path.Combine(demo.LayerDirectories[1], "www/index.html")).ShouldBe(GuideImages.DemoAppBody + "\n");
        demo.Config.ExposedPorts.ShouldBe(["80/tcp"]);
    }

    public void Dispose() => _harness.Dispose();

    private static void RequireTools(bool root = false)
    {
        foreach (var missing in new[] { Requirements.Binary("docker-registry"), Requirements.Binary("skopeo"), Requirements.Binary("htpasswd"), root ? Requirements.Root() : null })
        {
            if (missing is not null)
            {
                Assert.Skip(missing);
            }
        }
    }
}
