using Harrier.Drivers.Images;
using Harrier.Testing.Images;
using Shouldly;
using Xunit;

namespace Harrier.Drivers.Tests.Images;

/// <summary>Pulls from the in-process <see cref="FakeRegistry"/>: caching, sharing, progress, auth and platforms.</summary>
public sealed class ImageStorePullTests : IAsyncLifetime
{
    private readonly StoreHarness _harness = new();
    private FakeRegistry _registry = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _registry = await FakeRegistry.StartAsync();

    [Fact]
    public async Task PullAsync_Image_ReturnsLayersBottomFirstAndTheConfig()
    {
        var layout = Serve("app", "v1", new TestImageBuilder().WithBusybox().WithLayer(l => l.File("app.txt", "app"))
            .WithEntrypoint("/bin/sh", "-c").WithCmd("echo hi").WithEnv("A", "1").WithUser("65534:65534").WithWorkingDir("/tmp")
            .WithExposedPort("8080").WithLabel("k", "v"));
        var store = Store();

        var image = await store.PullAsync(_registry.Reference("app:v1"), false, null, Ct);

        image.Reference.ShouldBe($"{_registry.Host}/app:v1");
        image.ManifestDigest.ShouldBe(layout.ManifestDigest);
        image.ConfigDigest.ShouldBe(layout.ConfigDigest);
        image.LayerDirectories.Count.ShouldBe(2);
        image.LayerDirectories.ShouldAllBe(d => Path.IsPathRooted(d) && Directory.Exists(d));
        File.Exists(Path.Combine(image.LayerDirectories[0], "bin/busybox")).ShouldBeTrue();
        File.ReadAllText(Path.Combine(image.LayerDirectories[1], "app.txt")).ShouldBe("app");
        image.Size.ShouldBe(new FileInfo("/bin/busybox").Length + 3 + 109); // busybox, app.txt, passwd and group
        image.Config.Entrypoint.ShouldBe(["/bin/sh", "-c"]);
        image.Config.Cmd.ShouldBe(["echo hi"]);
        image.Config.Env.ShouldBe(["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "A=1"]);
        image.Config.User.ShouldBe("65534:65534");
        image.Config.WorkingDir.ShouldBe("/tmp");
        image.Config.ExposedPorts.ShouldBe(["8080/tcp"]);
        image.Config.Labels.ShouldBe(new Dictionary<string, string> { ["k"] = "v" });
    }

    [Fact]
    public async Task PullAsync_ImagePresent_ReturnsItWithoutAnyRequest()
    {
        Serve("app", "v1", new TestImageBuilder().WithBusybox());
        var first = await Store().PullAsync(_registry.Reference("app:v1"), false, null, Ct);
        var before = _registry.Requests.Count;

        var again = await Store().PullAsync(_registry.Reference("app:v1"), false, null, Ct); // a new store: records are on disk

        (again.ManifestDigest, again.ConfigDigest, again.Size).ShouldBe((first.ManifestDigest, first.ConfigDigest, first.Size));
        again.LayerDirectories.ShouldBe(first.LayerDirectories);
        again.Config.Env.ShouldBe(first.Config.Env);
        _registry.Requests.Count.ShouldBe(before);
    }

    [Fact]
    public async Task PullAsync_ForcePull_FetchesTheManifestAgainButNoBlob()
    {
        Serve("app", "v1", new TestImageBuilder().WithBusybox().WithLayer(l => l.File("a", "a")));
        var store = Store();
        await store.PullAsync(_registry.Reference("app:v1"), false, null, Ct);
        var before = _registry.Requests.Count;

        await store.PullAsync(_registry.Reference("app:v1"), true, null, Ct);

        _registry.Requests.Skip(before).ShouldBe(["/v2/app/manifests/v1"]);
    }

    [Fact]
    public async Task PullAsync_ConcurrentPullsOfOneImage_DownloadEachBlobOnce()
    {
        var layout = Serve("app", "v1", new TestImageBuilder().WithBusybox().WithLayer(l => l.File("a", "a")).WithLayer(l => l.File("b", "b")));
        _registry.BlobDelay = TimeSpan.FromMilliseconds(300);
        var store = Store();

        var images = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => store.PullAsync(_registry.Reference("app:v1"), false, null, Ct)));

        images.Select(i => i.ManifestDigest).Distinct().ShouldBe([layout.ManifestDigest]);
        foreach (var digest in layout.LayerDigests.Append(layout.ConfigDigest))
        {
            _registry.Count("/blobs/" + digest).ShouldBe(1, digest);
        }
    }

    [Fact]
    public async Task PullAsync_ImageSharingABaseLayer_DownloadsOnlyItsNewLayers()
    {
        var first = Serve("one", "v1", new TestImageBuilder().WithBusybox().WithLayer(l => l.File("one", "1")));
        var second = Serve("two", "v1", new TestImageBuilder().WithBusybox().WithLayer(l => l.File("two", "2")));
        var store = Store();
        var one = await store.PullAsync(_registry.Reference("one:v1"), false, null, Ct);

        var two = await store.PullAsync(_registry.Reference("two:v1"), false, null, Ct);

        first.LayerDigests[0].ShouldBe(second.LayerDigests[0]);
        _registry.Count("/blobs/" + second.LayerDigests[0]).ShouldBe(1);
        _registry.Count("/blobs/" + second.LayerDigests[1]).ShouldBe(1);
        two.LayerDirectories[0].ShouldBe(one.LayerDirectories[0]);
    }

    [Fact]
    public async Task PullAsync_Progress_CountsLayersAndBytesUpToTheTotal()
    {
        var layout = Serve("app", "v1", new TestImageBuilder().WithBusybox().WithLayer(l => l.File("a", "a")));
        var reports = new List<PullProgress>();

        await Store().PullAsync(_registry.Reference("app:v1"), false, new SynchronousProgress(reports), Ct);

        reports.ShouldNotBeEmpty();
        reports.ShouldAllBe(r => r.LayersTotal == 2 && r.BytesTotal == layout.LayerBytes && r.BytesDone <= r.BytesTotal);
        reports[^1].LayersDone.ShouldBe(2);
        reports.Max(r => r.BytesDone).ShouldBe(layout.LayerBytes);
    }

    [Fact]
    public async Task PullAsync_IndexWithAmd64_PicksIt()
    {
        var layout = Serve("multi", "v1", new TestImageBuilder().WithBusybox().WithExtraPlatform("arm64"));

        var image = await Store().PullAsync(_registry.Reference("multi:v1"), false, null, Ct);

        layout.IndexDigest.ShouldNotBeNull();
        image.ManifestDigest.ShouldBe(layout.ManifestDigest);
    }

    [Fact]
    public async Task PullAsync_IndexWithoutAmd64_NoMatchingPlatform()
    {
        var index = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","size":1,"platform":{"architecture":"arm64","os":"linux"}}]}""";
        _registry.SetManifest("arm", "v1", System.Text.Encoding.UTF8.GetBytes(index), "application/vnd.oci.image.index.v1+json");

        var e = await Should.ThrowAsync<ImagePullException>(() => Store().PullAsync(_registry.Reference("arm:v1"), false, null, Ct));

        e.Failure.ShouldBe(ImagePullFailure.NoMatchingPlatform);
        e.Message.ShouldContain("linux/arm64");
    }

    [Fact]
    public async Task PullAsync_ByDigest_PullsThatManifest()
    {
        var layout = Serve("app", "v1", new TestImageBuilder().WithBusybox());

        var image = await Store().PullAsync(_registry.Reference("app@" + layout.ManifestDigest), false, null, Ct);

        image.ManifestDigest.ShouldBe(layout.ManifestDigest);
        image.Reference.ShouldBe($"{_registry.Host}/app@{layout.ManifestDigest}");
    }

    [Fact]
    public async Task PullAsync_BearerTokenRegistry_GetsATokenOnceWithTheConfiguredCredentials()
    {
        Serve("private/app", "v1", new TestImageBuilder().WithBusybox().WithLayer(l => l.File("a", "a")));
        _registry.RequiredToken = "good-token";
        _registry.TokenCredentials = ("alice", "s3cret");
        var config = Path.Combine(_harness.Root + "-docker.json");
        File.WriteAllText(config, "{\"auths\":{\"http://" + _registry.Host + "/v2/\":{\"username\":\"alice\",\"password\":\"s3cret\"}}}");

        var image = await _harness.Store(o => o with { InsecureRegistries = [_registry.Host], DockerConfigPath = config })
            .PullAsync(_registry.Reference("private/app:v1"), false, null, Ct);

        image.LayerDirectories.Count.ShouldBe(2);
        _registry.Count("/token").ShouldBe(1);
    }

    [Fact]
    public async Task PullAsync_BearerTokenRegistryWithoutCredentials_Unauthorized()
    {
        Serve("private/app", "v1", new TestImageBuilder().WithBusybox());
        _registry.RequiredToken = "good-token";
        _registry.TokenCredentials = ("alice", "s3cret");

        var e = await Should.ThrowAsync<ImagePullException>(() => Store().PullAsync(_registry.Reference("private/app:v1"), false, null, Ct));

        e.Failure.ShouldBe(ImagePullFailure.Unauthorized);
        e.Message.ShouldContain($"'{_registry.Host}/private/app:v1'");
    }

    [Fact]
    public async Task PullAsync_InvalidReference_InvalidReferenceWithoutARequest()
    {
        var e = await Should.ThrowAsync<ImagePullException>(() => Store().PullAsync("Not/Valid", false, null, Ct));

        e.Failure.ShouldBe(ImagePullFailure.InvalidReference);
        _registry.Requests.ShouldBeEmpty();
    }

    public async ValueTask DisposeAsync()
    {
        await _registry.DisposeAsync();
        _harness.Dispose();
    }

    private ImageStore Store() => _harness.Store(_registry.Host);

    private TestImageLayout Serve(string repository, string tag, TestImageBuilder builder)
    {
        var layout = _harness.Build(builder);
        _registry.Add(repository, tag, layout);
        return layout;
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; tests want every report, in order, when the pull returns.</summary>
    private sealed class SynchronousProgress(List<PullProgress> reports) : IProgress<PullProgress>
    {
        public void Report(PullProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
